/**
 * Media types as MIME Sniffing "parse a MIME type" reads them
 * (https://mimesniff.spec.whatwg.org/#parse-a-mime-type): the essence lower-cased, parameters by
 * lower-cased name. Clients compare only the essence with `text/event-stream` (§9.2.2 step 15.3).
 */

export interface MediaType {
  essence: string;
  params: Map<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+\/[!#$%&'*+.^_`|~0-9a-z-]+$/;

/** The essence and parameters of a Content-Type value, or null when it is no media type. */
export function parseMediaType(value: string): MediaType | null {
  const [head, ...rest] = value.split(';');
  const essence = head!.trim().toLowerCase();
  if (!TOKEN.test(essence)) return null;
  const params = new Map<string, string>();
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq === -1) continue;
    params.set(param.slice(0, eq).trim().toLowerCase(), param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { essence, params };
}
