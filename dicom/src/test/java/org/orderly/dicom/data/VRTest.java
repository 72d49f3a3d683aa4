package org.orderly.dicom.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VRTest {

    @Test
    void allCurrentVRs() {
        assertEquals(34, VR.values().length);
        for (VR vr : VR.values()) {
            assertSame(vr, VR.ofCode(vr.code()));
        }
        assertEquals(0x504E, VR.PN.code());
        assertNull(VR.ofCode(0x5858));
    }

    @Test
    void explicitHeaderFormPs35Sec712() {
        Set<VR> longHeader = EnumSet.of(VR.OB, VR.OD, VR.OF, VR.OL, VR.OV, VR.OW, VR.SQ, VR.SV, VR.UC, VR.UN,
                VR.UR, VR.UT, VR.UV);
        for (VR vr : VR.values()) {
            assertEquals(longHeader.contains(vr), vr.hasLongHeader(), vr.name());
        }
    }

    @Test
    void paddingPs35Sec62() {
        assertEquals(0, VR.UI.paddingByte());
        assertEquals(0, VR.OB.paddingByte());
        assertEquals(' ', VR.PN.paddingByte());
        assertEquals(' ', VR.DS.paddingByte());
        assertEquals(' ', VR.UR.paddingByte());
    }

    @Test
    void characterSetDependence() {
        Set<VR> dependent = EnumSet.of(VR.SH, VR.LO, VR.ST, VR.LT, VR.UC, VR.UT, VR.PN);
        for (VR vr : VR.values()) {
            assertEquals(dependent.contains(vr), vr.isCharsetDependent(), vr.name());
        }
    }

    @Test
    void kindsAndLimits() {
        assertTrue(VR.AE.isText());
        assertTrue(VR.US.isBinary());
        assertEquals(VR.Kind.SEQUENCE, VR.SQ.kind());
        assertEquals(64, VR.UI.maxLength());
        assertEquals(16, VR.AE.maxLength());
        assertEquals(10240, VR.LT.maxLength());
        assertFalse(VR.LT.isMultiValuedText());
        assertTrue(VR.CS.isMultiValuedText());
        assertEquals(2, VR.AT.bytesPerNumber());
        assertEquals(8, VR.FD.bytesPerNumber());
    }
}
