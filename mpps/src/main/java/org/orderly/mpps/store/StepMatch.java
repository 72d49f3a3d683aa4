package org.orderly.mpps.store;

/** A worklist step an MPPS performs: scheduled_procedure_step.id and its requested_procedure.id. */
record StepMatch(long stepId, long requestedProcedureId) {
}
