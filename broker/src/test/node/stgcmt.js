// dcmjs-dimse as Storage Commitment requester (PS3.4 Annex J): N-ACTION Request Storage Commitment to Orderly, then
// the N-EVENT-REPORT, either on the same association (mode "same": the client lingers and answers the report) or on
// a new association to this script's own SCP (mode "new": listens on 127.0.0.1:SCP_PORT as AE DCMJS_SCP).
// Prints "ACTION <status>" and "REPORT <json>" (event type and data set), then exits 0; exits 4 without a report.
// Usage: node stgcmt.js HOST PORT CALLED_AE same|new SCP_PORT TRANSACTION_UID CUID IUID...
'use strict';
const net = require('net');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  this.setNoDelay(true); // dcmjs-dimse leaves Nagle on (PEERS.md)
  return connect.apply(this, args);
};
setTimeout(() => {
  console.error('peer script timed out');
  process.exit(9);
}, Number(process.env.PEER_TIMEOUT_MS || 30000));

const dimse = require('dcmjs-dimse');
const { Client, Server, Scp, Dataset } = dimse;
const { NActionRequest } = dimse.requests;
const { NEventReportResponse } = dimse.responses;
const { Status, PresentationContextResult, TransferSyntax } = dimse.constants;

const [host, port, called, mode, scpPort, tuid, cuid, ...iuids] = process.argv.slice(2);
const STGCMT = '1.2.840.10008.1.20.1';
const STGCMT_INSTANCE = '1.2.840.10008.1.20.1.1';
let reported = false;

function onReport(request, callback) {
  const ds = request.getDataset();
  console.log('REPORT ' + JSON.stringify({ eventTypeId: request.getEventTypeId(), dataset: ds ? ds.getElements() : null }));
  reported = true;
  const r = NEventReportResponse.fromRequest(request);
  r.setStatus(Status.Success);
  callback(r);
}

if (mode === 'new') {
  class ReportScp extends Scp {
    constructor(socket, opts) {
      socket.setNoDelay(true);
      super(socket, opts);
    }
    associationRequested(association) {
      for (const c of association.getPresentationContexts()) {
        const ctx = association.getPresentationContext(c.id);
        if (ctx.getAbstractSyntaxUid() !== STGCMT) {
          ctx.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
        } else if (ctx.getTransferSyntaxUids().includes(TransferSyntax.ExplicitVRLittleEndian)) {
          ctx.setResult(PresentationContextResult.Accept, TransferSyntax.ExplicitVRLittleEndian);
        } else {
          ctx.setResult(PresentationContextResult.Accept, TransferSyntax.ImplicitVRLittleEndian);
        }
      }
      this.sendAssociationAccept();
    }
    associationReleaseRequested() {
      this.sendAssociationReleaseResponse();
      if (reported) {
        setTimeout(() => process.exit(0), 100);
      }
    }
    nEventReportRequest(request, callback) {
      onReport(request, callback);
    }
  }
  const server = new Server(ReportScp);
  server.listen(Number(scpPort), { host: '127.0.0.1' });
}

const action = new NActionRequest(STGCMT, STGCMT_INSTANCE, 1);
action.setDataset(new Dataset({
  TransactionUID: tuid,
  ReferencedSOPSequence: iuids.map((i) => ({ ReferencedSOPClassUID: cuid, ReferencedSOPInstanceUID: i })),
}));
action.on('response', (r) => console.log('ACTION ' + r.getStatus()));
const client = new Client();
client.addRequest(action);
client.on('nEventReportRequest', (request, callback) => onReport(request, callback));
client.on('associationRejected', (r) => {
  console.error('association rejected', JSON.stringify(r));
  process.exit(3);
});
client.on('networkError', (e) => {
  console.error('network error', e);
  process.exit(2);
});
client.on('closed', () => {
  if (mode === 'same') {
    process.exit(reported ? 0 : 4);
  }
});
// "same": stay on the association long enough for the report (Orderly sends it as soon as the objects are delivered)
client.send(host, Number(port), 'DCMJS', called, { associationLingerTimeout: mode === 'same' ? 3000 : 0 });
