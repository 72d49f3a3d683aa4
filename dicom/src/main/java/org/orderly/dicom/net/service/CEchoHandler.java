package org.orderly.dicom.net.service;

/**
 * C-ECHO SCP, Verification SOP Class (PS3.4 Annex A). The registry has a built-in one that answers Success.
 */
@FunctionalInterface
public interface CEchoHandler {

    /** Returns normally for Success; throw to answer a failure. */
    void echo(RequestContext context) throws DicomServiceException;
}
