package org.orderly.dicom.net.acse;

/**
 * An accepted presentation context: the ID both sides use in P-DATA (PS3.8 §9.3.5.1), the abstract syntax proposed
 * for it, and the single transfer syntax the acceptor chose (PS3.8 §9.3.3.2).
 */
public record PresentationContext(int id, String abstractSyntax, String transferSyntax) {
}
