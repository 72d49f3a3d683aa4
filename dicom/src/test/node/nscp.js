// dcmjs-dimse as SCP for MPPS (N-CREATE, N-SET, N-GET) and Storage Commitment (N-ACTION, N-EVENT-REPORT) on
// 127.0.0.1. Prints "LISTENING" once bound, then one line "REQUEST <json>" per request it receives.
// An N-SET on an unknown instance is answered 0112H (no such SOP instance).
// Usage: node nscp.js PORT
'use strict';
require('./nodelay');
const dimse = require('dcmjs-dimse');
const { Server, Scp, Dataset } = dimse;
const { NCreateResponse, NSetResponse, NGetResponse, NActionResponse, NEventReportResponse, CEchoResponse } =
  dimse.responses;
const { Status, PresentationContextResult, TransferSyntax } = dimse.constants;

const port = Number(process.argv[2]);
const ACCEPT = ['1.2.840.10008.3.1.2.3.3', '1.2.840.10008.1.20.1', '1.2.840.10008.1.1'];
const created = new Map();

function log(op, request) {
  const ds = request.getDataset();
  console.log('REQUEST ' + JSON.stringify({
    op,
    cuid: request.getAffectedSopClassUid() || request.getRequestedSopClassUid(),
    iuid: request.getAffectedSopInstanceUid() || request.getRequestedSopInstanceUid(),
    dataset: ds ? ds.getElements() : null,
  }));
}

class NScp extends Scp {
  constructor(socket, opts) {
    socket.setNoDelay(true);
    super(socket, opts);
  }

  associationRequested(association) {
    for (const c of association.getPresentationContexts()) {
      const ctx = association.getPresentationContext(c.id);
      if (!ACCEPT.includes(ctx.getAbstractSyntaxUid())) {
        ctx.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
        continue;
      }
      const ts = ctx.getTransferSyntaxUids();
      if (ts.includes(TransferSyntax.ExplicitVRLittleEndian)) {
        ctx.setResult(PresentationContextResult.Accept, TransferSyntax.ExplicitVRLittleEndian);
      } else if (ts.includes(TransferSyntax.ImplicitVRLittleEndian)) {
        ctx.setResult(PresentationContextResult.Accept, TransferSyntax.ImplicitVRLittleEndian);
      } else {
        ctx.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
    }
    this.sendAssociationAccept();
  }

  associationReleaseRequested() {
    this.sendAssociationReleaseResponse();
  }

  cEchoRequest(request, callback) {
    const r = CEchoResponse.fromRequest(request);
    r.setStatus(Status.Success);
    callback(r);
  }

  nCreateRequest(request, callback) {
    log('N-CREATE', request);
    const iuid = request.getAffectedSopInstanceUid() || '2.25.271828';
    created.set(iuid, request.getDataset() ? request.getDataset().getElements() : {});
    const r = NCreateResponse.fromRequest(request);
    r.setAffectedSopInstanceUid(iuid);
    r.setStatus(Status.Success);
    callback(r);
  }

  nSetRequest(request, callback) {
    log('N-SET', request);
    const r = NSetResponse.fromRequest(request);
    const iuid = request.getRequestedSopInstanceUid();
    if (created.has(iuid)) {
      Object.assign(created.get(iuid), request.getDataset().getElements());
      r.setStatus(Status.Success);
    } else {
      r.setStatus(0x0112);
    }
    callback(r);
  }

  nGetRequest(request, callback) {
    log('N-GET', request);
    const r = NGetResponse.fromRequest(request);
    const item = created.get(request.getRequestedSopInstanceUid());
    if (item) {
      r.setDataset(new Dataset({ PerformedProcedureStepStatus: item.PerformedProcedureStepStatus }));
      r.setStatus(Status.Success);
    } else {
      r.setStatus(0x0112);
    }
    callback(r);
  }

  nActionRequest(request, callback) {
    log('N-ACTION', request);
    const r = NActionResponse.fromRequest(request);
    r.setStatus(Status.Success);
    callback(r);
  }

  nEventReportRequest(request, callback) {
    log('N-EVENT-REPORT', request);
    const r = NEventReportResponse.fromRequest(request);
    r.setStatus(Status.Success);
    callback(r);
  }
}

const server = new Server(NScp);
server.on('listening', () => console.log('LISTENING'));
server.on('networkError', (e) => console.error('network error', e));
server.listen({ port, host: '127.0.0.1' });
process.stdin.on('end', () => process.exit(0)); // the test closes stdin to stop us
process.stdin.resume();
