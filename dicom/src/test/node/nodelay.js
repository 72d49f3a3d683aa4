// dcmjs-dimse never calls setNoDelay(true): without this every exchange waits for a delayed ACK (Nagle).
'use strict';
const net = require('net');
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  this.setNoDelay(true);
  return connect.apply(this, args);
};
// a safety net: no peer script may outlive its test
setTimeout(() => {
  console.error('peer script timed out');
  process.exit(9);
}, Number(process.env.PEER_TIMEOUT_MS || 30000));
