import { describe, expect, it } from 'vitest';
import {
  AllowedHostsError,
  createOutboundPolicy,
  findOutboundRefusal,
  normalizeAddress,
  OutboundRefusedError,
  parseAllowedHosts,
} from './outbound-policy.js';

const prod = createOutboundPolicy({ mode: 'production' });
const dev = createOutboundPolicy({ mode: 'dev' });

describe('normalizeAddress: every spelling to one form', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1'],
    ['0x7f000001', '127.0.0.1'],
    ['0X7F000001', '127.0.0.1'],
    ['2130706433', '127.0.0.1'],
    ['0177.0.0.1', '127.0.0.1'],
    ['0177.0.0.01', '127.0.0.1'],
    ['127.1', '127.0.0.1'],
    ['127.0.1', '127.0.0.1'],
    ['0x7f.1', '127.0.0.1'],
    ['127.0.0.1.', '127.0.0.1'],
    ['0', '0.0.0.0'],
    ['0xa9fea9fe', '169.254.169.254'],
    ['2852039166', '169.254.169.254'],
    ['0251.0376.0251.0376', '169.254.169.254'],
    ['::1', '::1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['[::1]', '::1'],
    ['::', '::'],
    ['::ffff:127.0.0.1', '127.0.0.1'],
    ['::ffff:7f00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:7f00:0001', '127.0.0.1'],
    ['::ffff:0:7f00:1', '127.0.0.1'],
    ['::127.0.0.1', '127.0.0.1'],
    ['::ffff:a9fe:a9fe', '169.254.169.254'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254'],
    ['64:ff9b::169.254.169.254', '169.254.169.254'],
    ['2002:a9fe:a9fe::1', '169.254.169.254'],
    ['FD00:EC2:0:0:0:0:0:254', 'fd00:ec2::254'],
    ['fe80::1%eth0', 'fe80::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeAddress(input)?.address).toBe(expected);
  });

  it.each([
    '256.0.0.1',
    '1.2.3.4.5',
    '08.0.0.1',
    '0x1g',
    '1..2',
    'example.com',
    '::g',
    '1:2:3:4:5:6:7:8:9',
    '',
  ])('%s is not an address', (input) => {
    expect(normalizeAddress(input)).toBeNull();
  });
});

type Expect = 'allowed' | string; // a refusal category

/** URL → [production, dev]. */
const URL_TABLE: Array<[string, Expect, Expect]> = [
  // the reproduced ones
  ['http://169.254.169.254/latest/meta-data/', 'metadata', 'metadata'],
  ['http://[fd00:ec2::254]/', 'metadata', 'metadata'],
  ['http://metadata.google.internal/computeMetadata/v1/', 'metadata', 'metadata'],
  ['http://127.0.0.1:5432', 'loopback', 'allowed'],
  ['http://0x7f000001/', 'loopback', 'allowed'],
  // metadata and link-local in other spellings and places
  ['http://METADATA.google.internal./', 'metadata', 'metadata'],
  ['http://metadata/', 'metadata', 'metadata'],
  ['http://metadata.azure.com/metadata/instance', 'metadata', 'metadata'],
  ['http://100.100.100.200/latest/meta-data/', 'metadata', 'metadata'],
  ['http://168.63.129.16/', 'metadata', 'metadata'],
  ['http://169.254.170.2/v2/credentials', 'metadata', 'metadata'],
  ['http://2852039166/', 'metadata', 'metadata'],
  ['http://0xa9.0xfe.0xa9.0xfe/', 'metadata', 'metadata'],
  ['http://[::ffff:169.254.169.254]/', 'metadata', 'metadata'],
  ['http://[64:ff9b::a9fe:a9fe]/', 'metadata', 'metadata'],
  ['http://169.254.1.1/', 'link_local', 'link_local'],
  ['http://[fe80::1]/', 'link_local', 'link_local'],
  ['http://[::ffff:169.254.0.7]/', 'link_local', 'link_local'],
  // loopback: dev allows it
  ['http://2130706433/', 'loopback', 'allowed'],
  ['http://0177.0.0.1/', 'loopback', 'allowed'],
  ['http://127.1:8000/v1', 'loopback', 'allowed'],
  ['http://127.255.255.254/', 'loopback', 'allowed'],
  ['http://[::1]:8080/v1', 'loopback', 'allowed'],
  ['http://[::ffff:127.0.0.1]/', 'loopback', 'allowed'],
  ['http://[::ffff:7f00:1]/', 'loopback', 'allowed'],
  ['http://localhost:8000/v1', 'loopback', 'allowed'],
  ['http://api.localhost/', 'loopback', 'allowed'],
  // unspecified, private, shared, reserved: refused in both modes without the allowlist
  ['http://0.0.0.0:8000/', 'unspecified', 'unspecified'],
  ['http://0/', 'unspecified', 'unspecified'],
  ['http://[::]/', 'unspecified', 'unspecified'],
  ['http://10.0.0.5/v1', 'private', 'private'],
  ['http://172.16.0.1/', 'private', 'private'],
  ['http://172.31.255.255/', 'private', 'private'],
  ['http://192.168.1.10:11434/v1', 'private', 'private'],
  ['http://100.64.0.1/', 'private', 'private'],
  ['http://[fc00::1]/', 'private', 'private'],
  ['http://[fd12:3456::1]/', 'private', 'private'],
  ['http://[::ffff:10.0.0.1]/', 'private', 'private'],
  ['http://224.0.0.1/', 'reserved', 'reserved'],
  ['http://255.255.255.255/', 'reserved', 'reserved'],
  ['http://[ff02::1]/', 'reserved', 'reserved'],
  // public
  ['https://api.openai.com/v1', 'allowed', 'allowed'],
  ['https://api.anthropic.com', 'allowed', 'allowed'],
  ['http://8.8.8.8/', 'allowed', 'allowed'],
  ['http://172.32.0.1/', 'allowed', 'allowed'],
  ['http://100.128.0.1/', 'allowed', 'allowed'],
  ['http://[2606:4700::1111]/', 'allowed', 'allowed'],
  ['https://vllm.example.com:8443/v1', 'allowed', 'allowed'],
  // scheme and credentials
  ['ftp://example.com/', 'scheme', 'scheme'],
  ['file:///etc/passwd', 'scheme', 'scheme'],
  ['gopher://127.0.0.1:6379/_', 'scheme', 'scheme'],
  ['https://user:pass@example.com/v1', 'credentials', 'credentials'],
  ['https://token@example.com/v1', 'credentials', 'credentials'],
  ['not a url', 'invalid_url', 'invalid_url'],
];

const outcome = (verdict: ReturnType<typeof prod.checkUrl>) =>
  verdict.allowed ? 'allowed' : verdict.category;

describe('checkUrl', () => {
  it.each(URL_TABLE)('%s: production %s, dev %s', (url, inProduction, inDev) => {
    expect(outcome(prod.checkUrl(url))).toBe(inProduction);
    expect(outcome(dev.checkUrl(url))).toBe(inDev);
  });

  it('says why, naming the address and the variable that would allow it', () => {
    const loop = prod.checkUrl('http://0x7f000001/');
    expect(loop).toMatchObject({ allowed: false });
    expect(!loop.allowed && loop.reason).toMatch(
      /127\.0\.0\.1 is a loopback address.*EVALFORGE_ALLOWED_ENDPOINT_HOSTS/,
    );
    const meta = prod.checkUrl('http://[fd00:ec2::254]/');
    expect(!meta.allowed && meta.reason).toMatch(/fd00:ec2::254 is a cloud metadata address: always refused/);
  });
});

describe('checkAddress: what a name resolved to', () => {
  it('refuses a public name that resolves to loopback in production, allows it in dev', () => {
    expect(outcome(prod.checkAddress('127.0.0.1', 'rebind.example.com'))).toBe('loopback');
    expect(outcome(dev.checkAddress('127.0.0.1', 'rebind.example.com'))).toBe('allowed');
    const verdict = prod.checkAddress('::ffff:127.0.0.1', 'rebind.example.com');
    expect(!verdict.allowed && verdict.reason).toMatch(/rebind\.example\.com resolved to 127\.0\.0\.1/);
  });

  it('refuses metadata and link-local results in every mode', () => {
    for (const policy of [prod, dev]) {
      expect(outcome(policy.checkAddress('169.254.169.254', 'evil.example.com'))).toBe('metadata');
      expect(outcome(policy.checkAddress('fe80::abcd', 'evil.example.com'))).toBe('link_local');
      expect(outcome(policy.checkAddress('10.1.2.3', 'evil.example.com'))).toBe('private');
    }
  });

  it('allows public results', () => {
    expect(outcome(prod.checkAddress('104.18.6.192', 'api.openai.com'))).toBe('allowed');
    expect(outcome(prod.checkAddress('2606:4700::6812:6c0', 'api.openai.com'))).toBe('allowed');
  });
});

describe('the allowlist (EVALFORGE_ALLOWED_ENDPOINT_HOSTS)', () => {
  const allow = createOutboundPolicy({
    mode: 'production',
    allowedHosts:
      'vllm.internal, *.svc.cluster.local, 10.20.0.0/16, 192.168.1.7, fd12::/16, 169.254.0.0/16, metadata.google.internal',
  });

  it('allows listed names (whatever private address they resolve to) and addresses in listed CIDRs', () => {
    expect(outcome(allow.checkUrl('http://vllm.internal:8000/v1'))).toBe('allowed');
    expect(outcome(allow.checkUrl('http://VLLM.internal./v1'))).toBe('allowed');
    expect(outcome(allow.checkAddress('10.99.0.1', 'vllm.internal'))).toBe('allowed');
    expect(outcome(allow.checkAddress('127.0.0.1', 'vllm.internal'))).toBe('allowed');
    expect(outcome(allow.checkAddress('10.0.0.9', 'llm.models.svc.cluster.local'))).toBe('allowed');
    expect(outcome(allow.checkUrl('http://10.20.3.4/v1'))).toBe('allowed');
    expect(outcome(allow.checkUrl('http://[::ffff:10.20.3.4]/v1'))).toBe('allowed');
    expect(outcome(allow.checkUrl('http://192.168.1.7/'))).toBe('allowed');
    expect(outcome(allow.checkUrl('http://[fd12::5]/'))).toBe('allowed');
    expect(outcome(allow.checkAddress('10.20.0.8', 'other.example.com'))).toBe('allowed');
  });

  it('refuses what it does not list', () => {
    expect(outcome(allow.checkUrl('http://10.21.0.1/'))).toBe('private');
    expect(outcome(allow.checkUrl('http://192.168.1.8/'))).toBe('private');
    expect(outcome(allow.checkUrl('http://127.0.0.1/'))).toBe('loopback');
    expect(outcome(allow.checkAddress('10.99.0.1', 'other.example.com'))).toBe('private');
    expect(outcome(allow.checkUrl('http://svc.cluster.local.evil.com/'))).toBe('allowed'); // public name
    expect(outcome(allow.checkAddress('10.0.0.9', 'svc.cluster.local.evil.com'))).toBe('private');
  });

  it('opens localhost only where a loopback address is allowed, and checks what it resolves to', () => {
    const loopback = createOutboundPolicy({ mode: 'production', allowedHosts: '127.0.0.0/8' });
    expect(outcome(loopback.checkUrl('http://localhost:8000/v1'))).toBe('allowed');
    expect(outcome(loopback.checkAddress('127.0.0.1', 'localhost'))).toBe('allowed');
    expect(outcome(loopback.checkAddress('::1', 'localhost'))).toBe('loopback');
    expect(outcome(allow.checkUrl('http://localhost:8000/v1'))).toBe('loopback');
  });

  it('never opens link-local or metadata, not even when listed', () => {
    expect(outcome(allow.checkUrl('http://169.254.169.254/'))).toBe('metadata');
    expect(outcome(allow.checkUrl('http://169.254.10.10/'))).toBe('link_local');
    expect(outcome(allow.checkUrl('http://metadata.google.internal/'))).toBe('metadata');
    expect(outcome(allow.checkAddress('169.254.169.254', 'vllm.internal'))).toBe('metadata');
  });

  it('parses hostnames, wildcards, IPs and CIDRs, and names every entry it cannot read', () => {
    const parsed = parseAllowedHosts(' a.example , *.b.example,10.0.0.0/8,::1,, fd00::/8 ');
    expect([...parsed.names]).toEqual(['a.example']);
    expect(parsed.suffixes).toEqual(['b.example']);
    expect(parsed.addresses.check('10.1.1.1', 'ipv4')).toBe(true);
    expect(parsed.addresses.check('::1', 'ipv6')).toBe(true);
    expect(parseAllowedHosts('').entries).toEqual([]);
    expect(() => parseAllowedHosts('ok.example,10.0.0.0/33,bad host,http://x,::1/129')).toThrow(
      new AllowedHostsError(
        'not a hostname, *.domain, IP address or CIDR: 10.0.0.0/33, bad host, http://x, ::1/129',
      ),
    );
  });
});

describe('OutboundRefusedError', () => {
  it('is found through the causes fetch and the SDKs wrap it in', () => {
    const refusal = new OutboundRefusedError('loopback', 'no');
    const wrapped = new Error('Connection error.', {
      cause: new TypeError('fetch failed', { cause: refusal }),
    });
    expect(findOutboundRefusal(wrapped)).toBe(refusal);
    expect(findOutboundRefusal(new Error('other'))).toBeNull();
  });
});
