package org.orderly.mwl.query;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.orderly.mwl.testing.Fixtures.order;
import static org.orderly.mwl.testing.Fixtures.patient;
import static org.orderly.mwl.testing.Fixtures.procedure;
import static org.orderly.mwl.testing.Fixtures.step;
import static org.orderly.mwl.testing.Fixtures.utf8Patient;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.orderly.dicom.data.Attributes;
import org.orderly.dicom.data.Sequence;
import org.orderly.dicom.data.Tag;
import org.orderly.dicom.data.VR;
import org.orderly.mwl.model.SpsStatus;
import org.orderly.mwl.store.WorklistStore;
import org.orderly.mwl.testing.TestDatabase;

/**
 * Every matching type of PS3.4 §C.2.2.2 against a small worklist in H2. Fixture (SPS ID: patient, modality,
 * start, station AE):
 * S1: DOE^JOHN, CT, 2026-11-21 23:00, CT1;   S2: DOE^JANE, CT, 2026-11-22 08:00, CT1;
 * S3: SMITH^JOHN, MR, 2026-11-22 14:00, MR1; S4: Müller^Jürgen (UTF-8), US, 2026-11-23 06:00, AA32\AA33;
 * S5: ROE^RICHARD, CT, 2026-11-24 10:00, CT1, status STARTED.
 */
class WorklistQueryTest {

    private static DataSource ds;
    private static WorklistStore store;

    @BeforeAll
    static void fixture() throws Exception {
        ds = TestDatabase.create();
        store = new WorklistStore(ds);
        store.upsertOrder(order(patient("P1", null, "DOE^JOHN"), procedure("PL1", "A1", "1.2.1"),
                step("S1", "CT", "20261121", "2300", "CT1")));
        store.upsertOrder(order(patient("P2", null, "DOE^JANE"), procedure("PL2", "A2", "1.2.2"),
                step("S2", "CT", "20261122", "080000", "CT1")));
        store.upsertOrder(order(patient("P3", null, "SMITH^JOHN"), procedure("PL3", "A3", "1.2.3"),
                step("S3", "MR", "20261122", "1400", "MR1")));
        store.upsertOrder(order(utf8Patient("P4", "Müller^Jürgen"), procedure("PL4", "A4", "1.2.4"),
                step("S4", "US", "20261123", "0600", "AA32", "AA33")));
        store.upsertOrder(order(patient("P5", null, "ROE^RICHARD"), procedure("PL5", "A5", "1.2.5"),
                step("S5", "CT", "20261124", "1000", "CT1")));
        store.updateStepStatus(null, "S5", SpsStatus.STARTED);
    }

    /** Keys: Patient's Name and Patient ID zero-length, an SPS item with SPS ID zero-length, then the edits. */
    private static Attributes keys(Consumer<Attributes> top, Consumer<Attributes> sps) {
        Attributes k = new Attributes();
        k.setNull(Tag.PatientName, VR.PN);
        k.setNull(Tag.PatientID, VR.LO);
        top.accept(k);
        Attributes item = k.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        item.setNull(Tag.ScheduledProcedureStepID, VR.SH);
        sps.accept(item);
        return k;
    }

    private static Attributes spsKeys(Consumer<Attributes> sps) {
        return keys(k -> { }, sps);
    }

    private static List<Attributes> find(Attributes keys, MatchOptions options) throws Exception {
        List<Attributes> out = new ArrayList<>();
        try (WorklistCursor c = store.find(WorklistQuery.compile(keys, options))) {
            c.forEachRemaining(out::add);
        }
        return out;
    }

    private static List<String> ids(Attributes keys) throws Exception {
        return ids(keys, MatchOptions.DEFAULT);
    }

    private static List<String> ids(Attributes keys, MatchOptions options) throws Exception {
        return find(keys, options).stream().map(a -> a.getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                .getString(Tag.ScheduledProcedureStepID)).toList();
    }

    private static Consumer<Attributes> set(int tag, VR vr, String value) {
        return a -> a.setString(tag, vr, value);
    }

    @Test
    void universalMatchingReturnsEveryOpenItemOrderedByStart() throws Exception {
        assertEquals(List.of("S1", "S2", "S3", "S4"), ids(spsKeys(a -> { })));
        // no SPS sequence key at all: still only the open items
        Attributes k = new Attributes();
        k.setNull(Tag.PatientID, VR.LO);
        assertEquals(4, find(k, MatchOptions.DEFAULT).size());
        // "*" is universal too (§C.2.2.2.4): matches the item without a Worklist Label
        assertEquals(4, ids(keys(set(Tag.WorklistLabel, VR.LO, "*"), a -> { })).size());
    }

    @Test
    void singleValueMatching() throws Exception {
        assertEquals(List.of("S3"), ids(keys(set(Tag.PatientID, VR.LO, "P3"), a -> { })));
        assertEquals(List.of("S3"), ids(spsKeys(set(Tag.Modality, VR.CS, "MR"))));
        assertEquals(List.of("S2"), ids(keys(set(Tag.AccessionNumber, VR.SH, "A2"), a -> { })));
        assertEquals(List.of(), ids(keys(set(Tag.PatientID, VR.LO, "p3"), a -> { })), "case-sensitive");
        assertEquals(List.of(), ids(keys(set(Tag.PatientID, VR.LO, "P"), a -> { })), "not a prefix match");
        assertEquals(List.of("S1"), ids(keys(set(Tag.PatientName, VR.PN, "DOE^JOHN^^"), a -> { })),
                "trailing empty PN components are insignificant");
        assertEquals(List.of(), ids(keys(set(Tag.PatientName, VR.PN, "DOE"), a -> { })));
    }

    @Test
    void wildcardMatchingAlsoInsidePersonNameComponents() throws Exception {
        assertEquals(List.of("S1", "S2"), ids(keys(set(Tag.PatientName, VR.PN, "DOE*"), a -> { })));
        assertEquals(List.of("S1", "S3"), ids(keys(set(Tag.PatientName, VR.PN, "*^JOHN"), a -> { })));
        assertEquals(List.of("S1"), ids(keys(set(Tag.PatientName, VR.PN, "DOE^J?HN"), a -> { })));
        assertEquals(List.of("S3"), ids(keys(set(Tag.PatientName, VR.PN, "SM*^JO?N"), a -> { })));
        assertEquals(List.of("S1", "S2"), ids(keys(set(Tag.PatientName, VR.PN, "D?E^J*N*"), a -> { })));
        assertEquals(List.of("S1", "S2", "S3"), ids(keys(set(Tag.PatientID, VR.LO, "P?"), a -> { }))
                .subList(0, 3));
        assertEquals(List.of("S1", "S2", "S5"), ids(spsKeys(a -> {
            a.setString(Tag.ScheduledStationAETitle, VR.AE, "C*");
            a.setString(Tag.ScheduledProcedureStepStatus, VR.CS, "*");
        })));
    }

    @Test
    void dateSingleValueAndRanges() throws Exception {
        assertEquals(List.of("S2", "S3"), ids(spsKeys(set(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261122"))));
        assertEquals(List.of("S2", "S3", "S4"),
                ids(spsKeys(set(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261122-20261123"))));
        assertEquals(List.of("S1", "S2", "S3"),
                ids(spsKeys(set(Tag.ScheduledProcedureStepStartDate, VR.DA, "-20261122"))));
        assertEquals(List.of("S4"), ids(spsKeys(set(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261123-"))));
    }

    @Test
    void timeRangeAloneIsADailyWindow() throws Exception {
        assertEquals(List.of("S2", "S3"), ids(spsKeys(set(Tag.ScheduledProcedureStepStartTime, VR.TM, "0700-1500"))));
        assertEquals(List.of("S1"), ids(spsKeys(set(Tag.ScheduledProcedureStepStartTime, VR.TM, "2200-"))));
        assertEquals(List.of("S2", "S4"), ids(spsKeys(set(Tag.ScheduledProcedureStepStartTime, VR.TM, "-0800"))),
                "upper bound inclusive");
        assertEquals(List.of("S2"), ids(spsKeys(set(Tag.ScheduledProcedureStepStartTime, VR.TM, "080000"))));
    }

    @Test
    void dateAndTimeRangesCombineIntoOneDateTimeRange() throws Exception {
        // §C.2.2.2.5.1: 21 Nov 22:00 .. 22 Nov 09:00 as ONE range (as two daily windows "2200-0900" matches nothing)
        assertEquals(List.of("S1", "S2"), ids(spsKeys(a -> {
            a.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261121-20261122");
            a.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "2200-0900");
        })));
        // open ends: from 22 Nov 14:00 on
        assertEquals(List.of("S3", "S4"), ids(spsKeys(a -> {
            a.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261122-");
            a.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "1400-");
        })));
        // up to 22 Nov 08:00
        assertEquals(List.of("S1", "S2"), ids(spsKeys(a -> {
            a.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "-20261122");
            a.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "-0800");
        })));
        // a single date with a time range: that day, between the times
        assertEquals(List.of("S3"), ids(spsKeys(a -> {
            a.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261122");
            a.setString(Tag.ScheduledProcedureStepStartTime, VR.TM, "0900-2359");
        })));
    }

    @Test
    void listOfUidMatching() throws Exception {
        assertEquals(List.of("S1", "S3"),
                ids(keys(a -> a.setString(Tag.StudyInstanceUID, VR.UI, "1.2.1", "1.2.3"), a -> { })));
        assertEquals(List.of(), ids(keys(set(Tag.StudyInstanceUID, VR.UI, "1.2.*"), a -> { })),
                "no wildcards in UIDs");
    }

    @Test
    void multiValuedStoredValueMatchesAnyOfItsValues() throws Exception {
        assertEquals(List.of("S4"), ids(spsKeys(set(Tag.ScheduledStationAETitle, VR.AE, "AA33"))));
        assertEquals(List.of("S4"), ids(spsKeys(set(Tag.ScheduledStationAETitle, VR.AE, "AA32"))));
        Attributes answer = find(spsKeys(set(Tag.ScheduledStationAETitle, VR.AE, "AA33")), MatchOptions.DEFAULT)
                .get(0);
        assertArrayEquals(new String[] {"AA32", "AA33"}, answer.getSequence(Tag.ScheduledProcedureStepSequence)
                .get(0).getStrings(Tag.ScheduledStationAETitle), "the stored value is returned whole");
    }

    @Test
    void multiValuedKeyMatchesAnyOfItsValuesWithoutDuplicates() throws Exception {
        assertEquals(List.of("S1", "S2", "S3"),
                ids(spsKeys(a -> a.setString(Tag.Modality, VR.CS, "CT", "MR"))));
        assertEquals(List.of("S1", "S2", "S3"),
                ids(spsKeys(a -> a.setString(Tag.ScheduledStationAETitle, VR.AE, "CT1", "MR1"))));
        assertEquals(List.of("S4"), ids(spsKeys(a -> a.setString(Tag.ScheduledStationAETitle, VR.AE, "AA32", "AA33"))),
                "an item reached through two of its AE titles comes once");
    }

    @Test
    void personNameCaseAndAccentInsensitivityAreOptions() throws Exception {
        MatchOptions ci = MatchOptions.DEFAULT.withPnFolding(true, false);
        MatchOptions both = MatchOptions.DEFAULT.withPnFolding(true, true);
        Attributes lower = keys(set(Tag.PatientName, VR.PN, "doe^john"), a -> { });
        assertEquals(List.of(), ids(lower));
        assertEquals(List.of("S1"), ids(lower, ci));
        Attributes plain = keys(set(Tag.PatientName, VR.PN, "MULLER^JURGEN"), a -> { });
        assertEquals(List.of(), ids(plain, ci), "case folding alone keeps accents");
        assertEquals(List.of("S4"), ids(plain, both));
        assertEquals(List.of("S4"), ids(keys(set(Tag.PatientName, VR.PN, "mul*"), a -> { }), both));
        Attributes exact = keys(a -> {
            a.setString(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
            a.setString(Tag.PatientName, VR.PN, "Müller*");
        }, a -> { });
        assertEquals(List.of("S4"), ids(exact));
    }

    @Test
    void answersHoldExactlyTheRequestedKeysAndZeroLengthForMissingOnes() throws Exception {
        Attributes k = new Attributes();
        k.setNull(Tag.PatientName, VR.PN);
        k.setNull(Tag.PatientBirthDate, VR.DA);
        k.setNull(0x00101030, VR.DS); // Patient's Weight: not in the item
        k.setString(Tag.PatientID, VR.LO, "P1");
        Attributes item = k.newSequence(Tag.ScheduledProcedureStepSequence).addNewItem();
        item.setNull(Tag.ScheduledStationAETitle, VR.AE);
        item.setNull(Tag.ScheduledProcedureStepLocation, VR.SH); // not in the item
        item.setNull(Tag.ScheduledProcedureStepStartDate, VR.DA);
        List<Attributes> answers = find(k, MatchOptions.DEFAULT);
        assertEquals(1, answers.size());
        Attributes a = answers.get(0);
        assertArrayEquals(new int[] {Tag.PatientName, Tag.PatientID, Tag.PatientBirthDate, 0x00101030,
                Tag.ScheduledProcedureStepSequence}, a.tags());
        assertEquals("DOE^JOHN", a.getString(Tag.PatientName));
        assertEquals("19700101", a.getString(Tag.PatientBirthDate));
        assertTrue(a.contains(0x00101030));
        assertNull(a.getString(0x00101030));
        Attributes sps = a.getSequence(Tag.ScheduledProcedureStepSequence).get(0);
        assertArrayEquals(new int[] {Tag.ScheduledStationAETitle, Tag.ScheduledProcedureStepStartDate,
                Tag.ScheduledProcedureStepLocation}, sps.tags());
        assertEquals("CT1", sps.getString(Tag.ScheduledStationAETitle));
        assertEquals(0, ((byte[]) sps.getValue(Tag.ScheduledProcedureStepLocation)).length);

        // an item with a Specific Character Set returns it, so its names can be read
        Attributes k4 = keys(set(Tag.PatientID, VR.LO, "P4"), x -> { });
        Attributes a4 = find(k4, MatchOptions.DEFAULT).get(0);
        assertEquals("ISO_IR 192", a4.getString(Tag.SpecificCharacterSet));
        assertEquals("Müller^Jürgen", a4.getString(Tag.PatientName));
        // an empty sequence key returns the whole stored sequence
        Attributes whole = new Attributes();
        whole.setString(Tag.PatientID, VR.LO, "P1");
        whole.newSequence(Tag.ScheduledProcedureStepSequence);
        Attributes w = find(whole, MatchOptions.DEFAULT).get(0);
        assertEquals("HOUSE^GREGORY", w.getSequence(Tag.ScheduledProcedureStepSequence).get(0)
                .getString(Tag.ScheduledPerformingPhysicianName));
    }

    @Test
    void statusFilterDefaultsToOpenStepsUnlessTheQueryNamesOne() throws Exception {
        assertFalse(ids(spsKeys(a -> { })).contains("S5"));
        assertEquals(List.of("S5"), ids(spsKeys(set(Tag.ScheduledProcedureStepStatus, VR.CS, "STARTED"))));
        assertEquals(List.of("S1", "S2", "S3", "S4", "S5"), ids(spsKeys(a -> { }),
                MatchOptions.DEFAULT.withDefaultStatuses(EnumSet.of(SpsStatus.SCHEDULED, SpsStatus.STARTED))));
        assertEquals(List.of("S5"), ids(spsKeys(a -> { }),
                MatchOptions.DEFAULT.withDefaultStatuses(EnumSet.of(SpsStatus.STARTED))));
    }

    @Test
    void maxAnswersStopsTheCursorAndSaysSo() throws Exception {
        WorklistQuery q = WorklistQuery.compile(spsKeys(a -> { }), MatchOptions.DEFAULT.withMaxAnswers(2));
        try (WorklistCursor c = store.find(q)) {
            assertTrue(c.hasNext());
            c.next();
            c.next();
            assertFalse(c.hasNext());
            assertTrue(c.limitReached());
            assertEquals(2, c.returned());
        }
        WorklistQuery exact = WorklistQuery.compile(spsKeys(a -> { }), MatchOptions.DEFAULT.withMaxAnswers(4));
        try (WorklistCursor c = store.find(exact)) {
            int n = 0;
            while (c.hasNext()) {
                c.next();
                n++;
            }
            assertEquals(4, n);
            assertFalse(c.limitReached());
        }
    }

    @Test
    void sequenceMatchingOnOtherSequences() throws Exception {
        // a sequence key with an item matches only items whose stored sequence has a matching item; none is stored
        Attributes k = spsKeys(a -> { });
        k.newSequence(Tag.ReferencedStudySequence).addNewItem().setString(Tag.ReferencedSOPClassUID, VR.UI, "1.2");
        assertEquals(List.of(), ids(k));
        Attributes empty = spsKeys(a -> { });
        empty.newSequence(Tag.ReferencedStudySequence);
        List<Attributes> answers = find(empty, MatchOptions.DEFAULT);
        assertEquals(4, answers.size());
        Sequence rs = answers.get(0).getSequence(Tag.ReferencedStudySequence);
        assertEquals(0, rs.size(), "missing sequence comes back zero-length");
    }

    @Test
    void malformedKeysAreRefusedNamingTheAttribute() {
        InvalidQueryException e = assertThrows(InvalidQueryException.class, () -> WorklistQuery.compile(
                spsKeys(set(Tag.ScheduledProcedureStepStartDate, VR.DA, "2026-11-22x")), MatchOptions.DEFAULT));
        assertEquals(Tag.ScheduledProcedureStepStartDate, e.tag());
        assertThrows(InvalidQueryException.class, () -> WorklistQuery.compile(
                spsKeys(set(Tag.ScheduledProcedureStepStartTime, VR.TM, "25")), MatchOptions.DEFAULT));
        Attributes two = new Attributes();
        Sequence s = two.newSequence(Tag.ScheduledProcedureStepSequence);
        s.addNewItem();
        s.addNewItem();
        assertThrows(InvalidQueryException.class, () -> WorklistQuery.compile(two, MatchOptions.DEFAULT));
    }

    /** An H2 plan comment naming an index WITH lookup conditions, e.g. {@code /* PUBLIC.IX_X: A = ?1 *}{@code /}. */
    private static final java.util.regex.Pattern INDEX_LOOKUP = java.util.regex.Pattern.compile("/\\* PUBLIC\\.IX_\\w+: ");

    private static String explain(WorklistQuery q) throws Exception {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + q.sql())) {
            int i = 1;
            for (Object p : q.params()) {
                ps.setObject(i++, p);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void theTypicalModalityQueryIsAnIndexRangeScan() throws Exception {
        // station AE + today's date range: drives from (ae_title, sps_start), no table scan
        WorklistQuery q = WorklistQuery.compile(spsKeys(a -> {
            a.setString(Tag.ScheduledStationAETitle, VR.AE, "CT1");
            a.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261122");
        }), MatchOptions.DEFAULT);
        String plan = explain(q).toUpperCase();
        int ix = plan.indexOf("IX_STEP_STATION_AE_START:");
        assertTrue(ix >= 0, plan);
        String indexCondition = plan.substring(ix, plan.indexOf("*/", ix));
        assertTrue(indexCondition.contains("AE_TITLE = ?1") && indexCondition.contains("SPS_START >= ?2")
                && indexCondition.contains("SPS_START <= ?3"), "AE and date range both in the index lookup: " + plan);
        assertFalse(plan.contains("TABLESCAN"), plan);

        WorklistQuery m = WorklistQuery.compile(spsKeys(a -> {
            a.setString(Tag.Modality, VR.CS, "CT");
            a.setString(Tag.ScheduledProcedureStepStartDate, VR.DA, "20261122-20261123");
        }), MatchOptions.DEFAULT);
        String mplan = explain(m).toUpperCase();
        // H2 picks (modality, sps_start) or (status, sps_start) by its estimates: both are index lookups
        assertTrue(INDEX_LOOKUP.matcher(mplan).find(), mplan);
        assertTrue(mplan.contains("IX_SPS_MODALITY_START:") || mplan.contains("IX_SPS_STATUS_START:"), mplan);
        assertFalse(mplan.contains("TABLESCAN"), mplan);

        // negative control: a query without indexed keys gets no index lookup (so the assertions above can fail)
        Attributes none = new Attributes();
        none.setString(Tag.PatientSex, VR.CS, "M");
        String scan = explain(WorklistQuery.compile(none, MatchOptions.DEFAULT
                .withDefaultStatuses(EnumSet.allOf(SpsStatus.class)))).toUpperCase();
        assertFalse(INDEX_LOOKUP.matcher(scan).find(), scan);
    }
}
