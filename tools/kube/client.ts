/**
 * A small client for the test API server: HTTPS on loopback with the server's own self-signed
 * certificate and a static bearer token, resource discovery, and the server's warnings kept
 * (one per `Warning:` header, as kubectl prints them).
 */
import * as https from 'https';

/** What the server answered. */
export interface KubeResponse {
  readonly status: number;
  readonly body: any;
  /** Each `Warning` header's text (RFC 7234 `299 - "text"`), unquoted. */
  readonly warnings: string[];
}

/** Where a kind is served: its REST path segment and whether it lives in a namespace. */
export interface KubeResource {
  readonly plural: string;
  readonly namespaced: boolean;
}

/** How to reach a running API server. */
export interface KubeEndpoint {
  readonly server: string;
  readonly token: string;
  readonly ca: string;
}

export class KubeClient {
  private readonly agent: https.Agent;
  private readonly url: URL;
  private readonly discovery = new Map<string, Promise<Map<string, KubeResource>>>();

  constructor(private readonly endpoint: KubeEndpoint) {
    this.url = new URL(endpoint.server);
    this.agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca: endpoint.ca });
  }

  /** One request; the body is sent as JSON unless contentType says otherwise. Never throws on HTTP errors. */
  request(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request({
        agent: this.agent,
        host: this.url.hostname,
        port: this.url.port,
        method,
        path,
        headers: {
          Authorization: `Bearer ${this.endpoint.token}`,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': contentType, 'Content-Length': payload.length } : {}),
        },
      }, res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { /* not JSON: keep the text */ }
          resolve({ status: res.statusCode ?? 0, body: parsed, warnings: warningsOf(res.rawHeaders) });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** The resource serving apiVersion/kind, or undefined when the server has no such kind. */
  async resource(apiVersion: string, kind: string): Promise<KubeResource | undefined> {
    let kinds = this.discovery.get(apiVersion);
    if (!kinds) {
      kinds = this.discover(apiVersion);
      this.discovery.set(apiVersion, kinds);
    }
    return (await kinds).get(kind);
  }

  /** Forget discovered kinds (after installing CRDs). */
  forgetDiscovery(): void {
    this.discovery.clear();
  }

  /** The collection path of a kind: `/apis/apps/v1/namespaces/db/statefulsets`. */
  collectionPath(apiVersion: string, resource: KubeResource, namespace: string | undefined): string {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = resource.namespaced ? `/namespaces/${encodeURIComponent(namespace ?? 'default')}` : '';
    return `${base}${ns}/${resource.plural}`;
  }

  close(): void {
    this.agent.destroy();
  }

  private async discover(apiVersion: string): Promise<Map<string, KubeResource>> {
    const kinds = new Map<string, KubeResource>();
    // An apiVersion that cannot be a path segment pair is served by nobody.
    if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return kinds;
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const res = await this.request('GET', path);
    if (res.status !== 200) return kinds;
    for (const r of res.body.resources ?? []) {
      if (String(r.name).includes('/')) continue; // subresources
      kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
    }
    return kinds;
  }
}

function warningsOf(rawHeaders: string[]): string[] {
  const warnings: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() !== 'warning') continue;
    const match = /^\d{3} \S+ "(.*)"$/s.exec(rawHeaders[i + 1]);
    warnings.push(match ? match[1].replace(/\\(.)/g, '$1') : rawHeaders[i + 1]);
  }
  return warnings;
}

/** The server's message of a failed request (a Status object), or its raw text. */
export function statusMessage(res: KubeResponse): string {
  if (res.body && typeof res.body === 'object' && typeof res.body.message === 'string') return res.body.message;
  return `HTTP ${res.status}${res.body ? `: ${String(res.body).slice(0, 500)}` : ''}`;
}
