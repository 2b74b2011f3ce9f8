/**
 * Outbound policy: which URLs and addresses the workers may call (model endpoints, LLM-judge endpoints).
 * One module, used when an endpoint URL is saved (the API answers 422) and again when the worker connects
 * (activities/generation/guarded-fetch.ts checks every resolved address, so DNS rebinding cannot slip in).
 *
 * - Only http and https, and no credentials in the URL.
 * - Link-local addresses and cloud metadata services (addresses and names): always refused.
 * - Loopback, private, shared (CGNAT), unspecified and reserved addresses: refused unless
 *   EVALFORGE_ALLOWED_ENDPOINT_HOSTS allows them (hostnames, *.domains and/or CIDRs); dev mode also allows
 *   loopback (the local chat model and the fake model servers of the tests listen on 127.0.0.1).
 * - Every spelling of an address is normalised first: 0x7f000001, 2130706433, 0177.0.0.1, 127.1,
 *   ::ffff:127.0.0.1, ::ffff:7f00:1, ::127.0.0.1, NAT64 (64:ff9b::/96) and 6to4 (2002::/16) forms.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type OutboundMode = 'dev' | 'production';

/** The environment variable of the allowlist (worker and API read the same one). */
export const ALLOWED_ENDPOINT_HOSTS_ENV = 'EVALFORGE_ALLOWED_ENDPOINT_HOSTS';

/** Schemes a model endpoint may use. */
export const ALLOWED_URL_PROTOCOLS: readonly string[] = ['http:', 'https:'];

/** Cloud metadata services by address: AWS/GCP/Azure/Oracle/DigitalOcean IMDS, AWS ECS task metadata,
 * EKS pod identity (IPv4 and IPv6), AWS IMDS over IPv6, Alibaba Cloud, Azure WireServer. */
export const METADATA_ADDRESSES: readonly string[] = [
  '169.254.169.254',
  '169.254.170.2',
  '169.254.170.23',
  'fd00:ec2::254',
  'fd00:ec2::23',
  '100.100.100.200',
  '168.63.129.16',
];

/** Cloud metadata services by name (matched exactly and as a suffix: `x.metadata.google.internal`). */
export const METADATA_HOSTNAMES: readonly string[] = [
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.tencentyun.com',
];

/** Names that always mean this machine (RFC 6761): treated as loopback addresses. */
const LOOPBACK_NAMES: readonly string[] = [
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
];

type Range = readonly [address: string, prefix: number];

export const LINK_LOCAL_RANGES: readonly Range[] = [
  ['169.254.0.0', 16],
  ['fe80::', 10],
];
export const LOOPBACK_RANGES: readonly Range[] = [
  ['127.0.0.0', 8],
  ['::1', 128],
];
/** "This network" (0.0.0.0/8; connecting to it reaches this machine on Linux) and ::. */
export const UNSPECIFIED_RANGES: readonly Range[] = [
  ['0.0.0.0', 8],
  ['::', 128],
];
/** RFC 1918, shared address space (CGNAT, RFC 6598), unique local IPv6, deprecated site-local IPv6 and
 * local-use NAT64 (its IPv4 part may sit anywhere). */
export const PRIVATE_RANGES: readonly Range[] = [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['fc00::', 7],
  ['fec0::', 10],
  ['64:ff9b:1::', 48],
];
/** Not unicast hosts on the internet: IETF protocol assignments, benchmarking, multicast, reserved and
 * broadcast, IPv6 multicast. */
export const RESERVED_RANGES: readonly Range[] = [
  ['192.0.0.0', 24],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['ff00::', 8],
];

export type AddressClass =
  | 'metadata'
  | 'link_local'
  | 'loopback'
  | 'unspecified'
  | 'private'
  | 'reserved'
  | 'public';

/** Classes refused whatever the mode and the allowlist say. */
export const ALWAYS_REFUSED_CLASSES: ReadonlySet<AddressClass> = new Set(['metadata', 'link_local']);
/** Classes dev mode allows without the allowlist: the local chat model and the tests' fake servers. */
export const DEV_MODE_ALLOWED_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback']);

const CLASS_LABEL: Record<AddressClass, string> = {
  metadata: 'a cloud metadata address',
  link_local: 'a link-local address',
  loopback: 'a loopback address',
  unspecified: 'an unspecified address',
  private: 'a private address',
  reserved: 'a reserved (non-unicast) address',
  public: 'a public address',
};

export type RefusalCategory = AddressClass | 'scheme' | 'credentials' | 'invalid_url' | 'redirect';

export type OutboundVerdict =
  | { allowed: true }
  | { allowed: false; category: Exclude<RefusalCategory, 'public'>; reason: string };

/** What the worker throws when the policy refuses a call: no request was sent. */
export class OutboundRefusedError extends Error {
  override name = 'OutboundRefusedError';
  /** A stable code, so layers that wrap errors (fetch, the SDKs) keep it recognisable in `cause`. */
  readonly code = 'EVALFORGE_OUTBOUND_REFUSED';
  constructor(
    readonly category: Exclude<RefusalCategory, 'public'>,
    message: string,
  ) {
    super(message);
  }

  static from(verdict: Extract<OutboundVerdict, { allowed: false }>): OutboundRefusedError {
    return new OutboundRefusedError(verdict.category, verdict.reason);
  }
}

/** The OutboundRefusedError in an error's cause chain (fetch and the SDKs wrap it), if any. */
export function findOutboundRefusal(err: unknown, depth = 0): OutboundRefusedError | null {
  if (!err || typeof err !== 'object' || depth > 6) return null;
  if (err instanceof OutboundRefusedError) return err;
  return findOutboundRefusal((err as { cause?: unknown }).cause, depth + 1);
}

// ---------------------------------------------------------------------------------------------------------
// Addresses: every spelling to one canonical form.

export interface NormalizedAddress {
  family: 4 | 6;
  /** Canonical text: dotted quad, or RFC 5952 IPv6. */
  address: string;
}

const IPV4_PART = /^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$/i;

/** IPv4 as inet_aton and the WHATWG URL parser read it: 1 to 4 parts, each decimal, octal (leading 0) or
 * hex (0x); the last part fills the remaining bytes (127.1 is 127.0.0.1). Null when it is not one. */
export function parseIPv4(input: string): number | null {
  let text = input;
  if (text.endsWith('.') && text.length > 1) text = text.slice(0, -1);
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return null;
    const lower = part.toLowerCase();
    const value = lower.startsWith('0x')
      ? lower.length === 2
        ? 0
        : Number.parseInt(lower.slice(2), 16)
      : lower.length > 1 && lower.startsWith('0')
        ? Number.parseInt(lower.slice(1), 8)
        : Number.parseInt(lower, 10);
    if (!Number.isSafeInteger(value)) return null;
    values.push(value);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255)) return null;
  if (last >= 256 ** (4 - values.length)) return null;
  return values.reduce((sum, v, i) => sum + v * 256 ** (3 - i), 0) + last;
}

const ipv4Text = (n: number) => [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');

/** Eight 16-bit groups, zone id dropped; null when not IPv6. */
export function parseIPv6(input: string): number[] | null {
  const text = input.replace(/^\[|\]$/g, '').split('%')[0];
  if (!isIPv6(text)) return null;
  let body = text;
  const lastColon = body.lastIndexOf(':');
  const lastPart = body.slice(lastColon + 1);
  if (lastPart.includes('.')) {
    // A dotted IPv4 tail (::ffff:127.0.0.1) becomes its two hex groups.
    const v4 = parseIPv4(lastPart);
    if (v4 === null) return null;
    body = `${body.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const [head, rest] = body.includes('::') ? body.split('::') : [body, null];
  const toGroups = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const headGroups = toGroups(head);
  const restGroups = rest === null ? [] : toGroups(rest);
  const explicit = headGroups.length + restGroups.length;
  if (rest === null && explicit !== 8) return null;
  if (explicit > 8) return null;
  const groups = [...headGroups, ...new Array(8 - explicit).fill(0), ...restGroups];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff)
    ? groups
    : null;
}

/** The IPv4 address an IPv6 one stands for: mapped (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d),
 * compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:AABB:CCDD::). */
function embeddedIPv4(g: number[]): number | null {
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const low = g[6] * 65536 + g[7];
  if (zero(0, 5) && g[5] === 0xffff) return low;
  if (zero(0, 4) && g[4] === 0xffff && g[5] === 0) return low;
  if (zero(0, 6) && low > 1) return low;
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return low;
  if (g[0] === 0x2002) return g[1] * 65536 + g[2];
  return null;
}

/** RFC 5952 text: lowercase, the longest run of two or more zero groups compressed to "::". */
function ipv6Text(groups: number[]): string {
  let best = { start: -1, length: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((x) => x.toString(16));
  if (best.start === -1) return hex.join(':');
  const head = hex.slice(0, best.start).join(':');
  const tail = hex.slice(best.start + best.length).join(':');
  return `${head}::${tail}`;
}

/** One canonical form for any spelling of an IP address (IPv6 forms that carry an IPv4 address become that
 * IPv4 address); null when the text is not an address. */
export function normalizeAddress(input: string): NormalizedAddress | null {
  const text = input.trim();
  if (text.includes(':') || text.startsWith('[')) {
    const groups = parseIPv6(text);
    if (!groups) return null;
    const v4 = embeddedIPv4(groups);
    if (v4 !== null) return { family: 4, address: ipv4Text(v4) };
    return { family: 6, address: ipv6Text(groups) };
  }
  const v4 = parseIPv4(text);
  return v4 === null ? null : { family: 4, address: ipv4Text(v4) };
}

function blockList(ranges: readonly Range[]): BlockList {
  const list = new BlockList();
  for (const [address, prefix] of ranges) list.addSubnet(address, prefix, isIPv4(address) ? 'ipv4' : 'ipv6');
  return list;
}

const CLASS_LISTS: ReadonlyArray<readonly [AddressClass, BlockList]> = [
  ['link_local', blockList(LINK_LOCAL_RANGES)],
  ['loopback', blockList(LOOPBACK_RANGES)],
  ['unspecified', blockList(UNSPECIFIED_RANGES)],
  ['private', blockList(PRIVATE_RANGES)],
  ['reserved', blockList(RESERVED_RANGES)],
];
const METADATA_SET = new Set(METADATA_ADDRESSES.map((a) => normalizeAddress(a)!.address));

/** The class of an address already normalised. */
export function classifyAddress(addr: NormalizedAddress): AddressClass {
  if (METADATA_SET.has(addr.address)) return 'metadata';
  const type = addr.family === 4 ? 'ipv4' : 'ipv6';
  for (const [cls, list] of CLASS_LISTS) if (list.check(addr.address, type)) return cls;
  return 'public';
}

// ---------------------------------------------------------------------------------------------------------
// Hostnames.

const normalizeHostname = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');

const matchesName = (host: string, names: readonly string[]) =>
  names.some((n) => host === n || host.endsWith(`.${n}`));

// ---------------------------------------------------------------------------------------------------------
// The allowlist: EVALFORGE_ALLOWED_ENDPOINT_HOSTS.

export interface AllowedHosts {
  /** Exact hostnames (lowercase, no trailing dot). */
  names: ReadonlySet<string>;
  /** `*.example.internal` entries, kept as `example.internal`: any subdomain matches. */
  suffixes: readonly string[];
  /** CIDRs and single addresses. */
  addresses: BlockList;
  /** The entries as given, for logs and messages. */
  entries: readonly string[];
}

export class AllowedHostsError extends Error {
  override name = 'AllowedHostsError';
}

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*$/;

/** Parses the comma-separated allowlist (hostnames, `*.suffix` wildcards, IPs and CIDRs); throws
 * AllowedHostsError naming every entry it cannot read. */
export function parseAllowedHosts(value: string | readonly string[] | undefined | null): AllowedHosts {
  const entries = (typeof value === 'string' ? value.split(',') : (value ?? []))
    .map((e) => e.trim())
    .filter(Boolean);
  const names = new Set<string>();
  const suffixes: string[] = [];
  const addresses = new BlockList();
  const bad: string[] = [];
  for (const entry of entries) {
    const slash = entry.indexOf('/');
    const ipText = slash === -1 ? entry : entry.slice(0, slash);
    const family = isIPv4(ipText) ? 4 : isIPv6(ipText) ? 6 : null;
    if (family) {
      const max = family === 4 ? 32 : 128;
      const prefix = slash === -1 ? max : Number(entry.slice(slash + 1));
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || entry.slice(slash + 1) === '') {
        bad.push(entry);
        continue;
      }
      addresses.addSubnet(ipText, prefix, family === 4 ? 'ipv4' : 'ipv6');
      continue;
    }
    const name = normalizeHostname(entry);
    if (name.startsWith('*.') && HOSTNAME.test(name.slice(2))) suffixes.push(name.slice(2));
    else if (HOSTNAME.test(name)) names.add(name);
    else bad.push(entry);
  }
  if (bad.length) {
    throw new AllowedHostsError(`not a hostname, *.domain, IP address or CIDR: ${bad.join(', ')}`);
  }
  return { names, suffixes, addresses, entries };
}

const hostAllowed = (allow: AllowedHosts, host: string) =>
  allow.names.has(host) || matchesName(host, allow.suffixes);

// ---------------------------------------------------------------------------------------------------------
// The policy.

export interface OutboundPolicy {
  readonly mode: OutboundMode;
  readonly allowedHosts: AllowedHosts;
  /** Scheme, credentials, and the host: a literal address is checked as one, a name against the metadata
   * names, localhost and the allowlist (its addresses are checked when the worker connects). */
  checkUrl(url: string | URL): OutboundVerdict;
  /** A hostname (or address literal) before it is resolved. */
  checkHost(hostname: string): OutboundVerdict;
  /** An address `hostname` resolved to (or the literal address itself when no hostname is given). */
  checkAddress(address: string, hostname?: string): OutboundVerdict;
}

export interface OutboundPolicyOptions {
  mode: OutboundMode;
  /** The parsed allowlist, or its text (comma-separated). */
  allowedHosts?: AllowedHosts | string | readonly string[] | null;
}

const refuse = (
  category: Exclude<RefusalCategory, 'public'>,
  reason: string,
): Extract<OutboundVerdict, { allowed: false }> => ({ allowed: false, category, reason });
const ALLOWED: OutboundVerdict = { allowed: true };

export function createOutboundPolicy(opts: OutboundPolicyOptions): OutboundPolicy {
  const allow =
    opts.allowedHosts && typeof opts.allowedHosts === 'object' && 'names' in opts.allowedHosts
      ? opts.allowedHosts
      : parseAllowedHosts(opts.allowedHosts as string | readonly string[] | null | undefined);
  const { mode } = opts;

  const refuseClass = (what: string, cls: Exclude<AddressClass, 'public'>) =>
    ALWAYS_REFUSED_CLASSES.has(cls)
      ? refuse(cls, `${what} is ${CLASS_LABEL[cls]}: always refused`)
      : refuse(
          cls,
          `${what} is ${CLASS_LABEL[cls]}: refused${
            cls === 'loopback' ? ' outside dev mode' : ''
          } unless ${ALLOWED_ENDPOINT_HOSTS_ENV} allows it`,
        );

  /** `viaName`: the address is what an allowlisted hostname resolved to. */
  function checkNormalized(addr: NormalizedAddress, what: string, viaName: boolean): OutboundVerdict {
    const cls = classifyAddress(addr);
    if (cls === 'public') return ALLOWED;
    if (ALWAYS_REFUSED_CLASSES.has(cls)) return refuseClass(what, cls);
    if (mode === 'dev' && DEV_MODE_ALLOWED_CLASSES.has(cls)) return ALLOWED;
    if (viaName || allow.addresses.check(addr.address, addr.family === 4 ? 'ipv4' : 'ipv6')) return ALLOWED;
    return refuseClass(what, cls);
  }

  const describe = (input: string, addr: NormalizedAddress) =>
    normalizeHostname(input) === addr.address ? addr.address : `${input} (${addr.address})`;

  function checkAddress(address: string, hostname?: string): OutboundVerdict {
    const addr = normalizeAddress(address);
    if (!addr) return refuse('invalid_url', `${address} is not an IP address`);
    const host = hostname === undefined ? null : normalizeHostname(hostname);
    if (host !== null && normalizeAddress(host) === null) {
      // A name: metadata names are refused whatever they resolve to; allowlisted names may resolve anywhere
      // except link-local and metadata addresses.
      const byName = checkHost(host);
      if (!byName.allowed) return byName;
      return checkNormalized(addr, `${host} resolved to ${addr.address}, which`, hostAllowed(allow, host));
    }
    return checkNormalized(addr, describe(address, addr), false);
  }

  function checkHost(hostname: string): OutboundVerdict {
    const host = normalizeHostname(hostname);
    if (!host) return refuse('invalid_url', 'the URL has no host');
    const addr = normalizeAddress(host);
    if (addr) return checkNormalized(addr, describe(host, addr), false);
    if (matchesName(host, METADATA_HOSTNAMES))
      return refuse('metadata', `${host} is a cloud metadata service: always refused`);
    if (hostAllowed(allow, host)) return ALLOWED;
    if (matchesName(host, LOOPBACK_NAMES)) {
      // Allowed where a loopback address is: in dev mode, or when the allowlist covers one (the address the
      // name resolves to is checked again on connect).
      const loopbackAllowed =
        (mode === 'dev' && DEV_MODE_ALLOWED_CLASSES.has('loopback')) ||
        allow.addresses.check('127.0.0.1', 'ipv4') ||
        allow.addresses.check('::1', 'ipv6');
      if (!loopbackAllowed) return refuseClass(host, 'loopback');
    }
    return ALLOWED;
  }

  function checkUrl(input: string | URL): OutboundVerdict {
    let url: URL;
    try {
      url = typeof input === 'string' ? new URL(input) : input;
    } catch {
      return refuse('invalid_url', 'not a valid URL');
    }
    if (!ALLOWED_URL_PROTOCOLS.includes(url.protocol))
      return refuse('scheme', `scheme ${url.protocol.replace(/:$/, '')} is not allowed: use http or https`);
    if (url.username || url.password)
      return refuse('credentials', 'credentials in the URL are not allowed: name the key in api_key_env');
    return checkHost(url.hostname);
  }

  return { mode, allowedHosts: allow, checkUrl, checkHost, checkAddress };
}
