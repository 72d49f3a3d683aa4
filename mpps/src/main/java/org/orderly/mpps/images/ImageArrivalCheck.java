package org.orderly.mpps.images;

import java.sql.SQLException;
import java.util.Collection;

/**
 * Have the SOP instances an MPPS references (Performed Series Sequence > Referenced Image Sequence / Referenced
 * Non-Image Composite SOP Instance Sequence) been received? Used to hold the COMPLETED status message to the RIS
 * until the images are there (setting {@code orderly.mpps.hold-for-images}).
 */
@FunctionalInterface
public interface ImageArrivalCheck {

    /** How many of {@code sopInstanceUids} have not been received yet (0 = all there). */
    int missing(Collection<String> sopInstanceUids) throws SQLException;
}
