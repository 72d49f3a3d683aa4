// dcmjs-dimse as SCU: N-CREATE, N-SET, N-GET (MPPS) and N-ACTION, N-EVENT-REPORT (Storage Commitment) to the SCP
// given on the command line. Prints one line "RESULT <json>" with every response, then exits 0.
// Usage: node nscu.js HOST PORT CALLED_AE
'use strict';
require('./nodelay');
const dimse = require('dcmjs-dimse');
const { Client, Dataset } = dimse;
const { NCreateRequest, NSetRequest, NGetRequest, NActionRequest, NEventReportRequest } = dimse.requests;

const [host, port, called] = process.argv.slice(2);
const MPPS = '1.2.840.10008.3.1.2.3.3';
const STGCMT = '1.2.840.10008.1.20.1';
const STGCMT_INSTANCE = '1.2.840.10008.1.20.1.1';
const IUID = '2.25.314159265358979';

const requests = [];
const create = new NCreateRequest(MPPS, IUID);
create.setDataset(new Dataset({ PerformedProcedureStepStatus: 'IN PROGRESS', Modality: 'CT' }));
requests.push(['N-CREATE', create]);
const set = new NSetRequest(MPPS, IUID);
set.setDataset(new Dataset({ PerformedProcedureStepStatus: 'COMPLETED' }));
requests.push(['N-SET', set]);
requests.push(['N-GET', new NGetRequest(MPPS, IUID, ['PerformedProcedureStepStatus'])]);
const action = new NActionRequest(STGCMT, STGCMT_INSTANCE, 1);
action.setDataset(new Dataset({
  TransactionUID: '2.25.77',
  ReferencedSOPSequence: [{ ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.2', ReferencedSOPInstanceUID: '1.2.3.4' }],
}));
requests.push(['N-ACTION', action]);
const report = new NEventReportRequest(STGCMT, STGCMT_INSTANCE, 2);
report.setDataset(new Dataset({ TransactionUID: '2.25.78' }));
requests.push(['N-EVENT-REPORT', report]);

const results = [];
const client = new Client();
for (const [op, rq] of requests) {
  rq.on('response', (r) => {
    const ds = r.getDataset();
    results.push({
      op,
      status: r.getStatus(),
      iuid: r.getAffectedSopInstanceUid(),
      comment: r.getErrorComment(),
      dataset: ds ? ds.getElements() : null,
    });
  });
  client.addRequest(rq);
}
client.on('associationRejected', (r) => {
  console.error('association rejected', JSON.stringify(r));
  process.exit(3);
});
client.on('networkError', (e) => {
  console.error('network error', e);
  process.exit(2);
});
client.on('closed', () => {
  console.log('RESULT ' + JSON.stringify(results));
  process.exit(0);
});
client.send(host, Number(port), 'DCMJS_SCU', called);
