/**
 * TLS material for the reference server: a self-signed certificate made at start (EC P-256, valid
 * for the listening host, localhost, 127.0.0.1 and ::1), or the user's own files.
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { generate } from 'selfsigned';

export interface TlsMaterial {
  key: string;
  cert: string;
}

/** A fresh self-signed certificate; clients trust it by taking `cert` as their CA. */
export async function selfSignedCertificate(host: string): Promise<TlsMaterial> {
  const names = new Set(['localhost', host]);
  const altNames: Array<{ type: 2; value: string } | { type: 7; ip: string }> = [...names].map((name) => (isIP(name) ? { type: 7 as const, ip: name } : { type: 2 as const, value: name }));
  for (const ip of ['127.0.0.1', '::1']) if (!names.has(ip)) altNames.push({ type: 7, ip });
  const now = new Date();
  const pems = await generate([{ name: 'commonName', value: 'sse-conformance reference server' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + 30 * 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/** The user's certificate and key (PEM files). */
export function readTlsFiles(certFile: string, keyFile: string): TlsMaterial {
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
