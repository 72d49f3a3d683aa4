// dcmjs-dimse as the modality (MPPS SCU): runs the operations of a JSON file on ONE association and prints
// "RESULT <json>" with every response (op, status, iuid, error comment, offending elements, data set), then exits 0.
// Usage: node mpps-scu.js HOST PORT CALLED_AE OPS.json
//   OPS.json: [{"op": "create"|"set"|"get", "iuid": "...", "dataset": {naturalized DICOM JSON}, "attrs": [...]}]
'use strict';
require('../../../../dicom/src/test/node/nodelay');
const fs = require('fs');
const dimse = require('dcmjs-dimse');
const { Client, Dataset } = dimse;
const { NCreateRequest, NSetRequest, NGetRequest } = dimse.requests;

const [host, port, called, opsFile] = process.argv.slice(2);
const MPPS = '1.2.840.10008.3.1.2.3.3';
const MPPS_RETRIEVE = '1.2.840.10008.3.1.2.3.4';
const ops = JSON.parse(fs.readFileSync(opsFile, 'utf8'));

const results = [];
const client = new Client();
ops.forEach((o, index) => {
  let rq;
  if (o.op === 'create') {
    rq = new NCreateRequest(MPPS, o.iuid);
    rq.setDataset(new Dataset(o.dataset));
  } else if (o.op === 'set') {
    rq = new NSetRequest(MPPS, o.iuid);
    rq.setDataset(new Dataset(o.dataset));
  } else {
    rq = new NGetRequest(MPPS_RETRIEVE, o.iuid, o.attrs || []);
  }
  rq.on('response', (r) => {
    const ds = r.getDataset();
    const cmd = r.getCommandDataset ? r.getCommandDataset() : null;
    const offending = cmd ? cmd.getElement('OffendingElement') : undefined;
    results.push({
      index,
      op: o.op,
      status: r.getStatus(),
      iuid: r.getAffectedSopInstanceUid(),
      comment: r.getErrorComment(),
      offending: offending === undefined ? null : offending,
      dataset: ds ? ds.getElements() : null,
    });
  });
  client.addRequest(rq);
});
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
client.send(host, Number(port), 'DCMJS_CT1', called);
