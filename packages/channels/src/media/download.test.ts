import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelSecrets } from '../adapter.ts';
import { FakePlatform, type RecordedRequest } from '../testing/fake-platform.ts';
import { mediaDownload, MediaLookupError, type MediaContent, type MediaSource } from './download.ts';

let fake: FakePlatform;
beforeAll(async () => {
  fake = await new FakePlatform().start();
});
afterAll(() => fake.stop());
beforeEach(() => {
  fake.requests.length = 0;
});

const basicOf = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** GETs a resolved source the way the runner's fetcher does, so the fake sees the headers the platform would. */
async function download(source: MediaSource | null): Promise<RecordedRequest> {
  if (!source) throw new Error('nothing to download');
  const before = fake.requests.length;
  await (await fetch(source.url, { headers: source.headers })).arrayBuffer();
  const request = fake.requests[before];
  if (!request) throw new Error('the download did not reach the fake platform');
  return request;
}

const resolve = (type: string, content: MediaContent, config: Record<string, unknown>, secrets: ChannelSecrets) => mediaDownload(type, content, { config, secrets });

describe('WhatsApp Cloud API media', () => {
  const config = () => ({ apiBaseUrl: `${fake.url}/v21.0`, phoneNumberId: 'pn-1' });
  const secrets = { appSecret: 's', verifyToken: 'v', accessToken: 'wa-token' };

  it('looks the media id up on the Graph API, then downloads the URL it answers with the same Bearer token', async () => {
    fake.reply(() => ({
      status: 200,
      body: { messaging_product: 'whatsapp', url: `${fake.url}/lookaside/?mid=1234&ext=99&hash=abc`, mime_type: 'image/jpeg', sha256: 'ff', file_size: '303833', id: '1234' },
    }));
    const source = await resolve('whatsapp', { type: 'image', mediaId: '1234', mimeType: 'image/jpeg' }, config(), secrets);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/v21.0/1234' });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer wa-token');
    expect(source).toEqual({ url: `${fake.url}/lookaside/?mid=1234&ext=99&hash=abc`, headers: { authorization: 'Bearer wa-token' }, mimeType: 'image/jpeg', size: 303833 });
    const get = await download(source);
    expect(get).toMatchObject({ method: 'GET', path: '/lookaside/?mid=1234&ext=99&hash=abc' });
    expect(get.headers.authorization).toBe('Bearer wa-token');
  });

  it("names Meta's reason when the media id is unknown or expired", async () => {
    fake.reply({ status: 400, body: { error: { message: 'Unsupported get request. Object with ID 1234 does not exist', type: 'GraphMethodException', code: 100 } } });
    const lookup = resolve('whatsapp', { type: 'audio', mediaId: '1234' }, config(), secrets);
    await expect(lookup).rejects.toThrow(MediaLookupError);
    await expect(lookup).rejects.toThrow('HTTP 400: Unsupported get request. Object with ID 1234 does not exist');
  });

  it('has nothing to fetch without a media id, and refuses to look up without an access token', async () => {
    expect(await resolve('whatsapp', { type: 'image', url: 'https://example.com/x.jpg' }, config(), secrets)).toBeNull();
    await expect(resolve('whatsapp', { type: 'image', mediaId: '1' }, config(), { appSecret: 's' })).rejects.toThrow('no access token');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('Telegram Bot API files', () => {
  const config = () => ({ apiBaseUrl: fake.url });
  const secrets = { botToken: '123:abc', secretToken: 'tg' };

  it('asks getFile for the file_path and downloads /file/bot<token>/<file_path>', async () => {
    fake.reply({ status: 200, body: { ok: true, result: { file_id: 'AgACAgQ', file_unique_id: 'AQAD', file_size: 53012, file_path: 'photos/file_7.jpg' } } });
    const source = await resolve('telegram', { type: 'image', mediaId: 'AgACAgQ' }, config(), secrets);
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/bot123:abc/getFile?file_id=AgACAgQ' });
    expect(source).toEqual({ url: `${fake.url}/file/bot123:abc/photos/file_7.jpg`, headers: {}, size: 53012 });
    expect((await download(source)).path).toBe('/file/bot123:abc/photos/file_7.jpg');
  });

  it("names Telegram's description when it will not give the file, without the token", async () => {
    fake.reply({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: file is too big' } });
    const failure = await resolve('telegram', { type: 'video', mediaId: 'BAACAgQ' }, config(), secrets).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(MediaLookupError);
    expect((failure as Error).message).toBe('Telegram getFile: HTTP 400: Bad Request: file is too big');
    expect((failure as Error).message).not.toContain('123:abc');
  });
});

describe('LINE message content', () => {
  const config = () => ({ apiBaseUrl: fake.url, dataApiBaseUrl: `${fake.url}/data` });
  const secrets = { channelSecret: 's', channelAccessToken: 'line-token' };

  it('downloads an image from the content API by message id with the channel access token, without a lookup', async () => {
    const source = await resolve('line', { type: 'image', mediaId: '325708' }, config(), secrets);
    expect(fake.requests).toHaveLength(0);
    expect(source).toEqual({ url: `${fake.url}/data/v2/bot/message/325708/content`, headers: { authorization: 'Bearer line-token' } });
    const get = await download(source);
    expect(get.path).toBe('/data/v2/bot/message/325708/content');
    expect(get.headers.authorization).toBe('Bearer line-token');
  });

  it('waits for a video to be transcoded: processing is an error, succeeded gives the content URL', async () => {
    fake.reply({ status: 200, body: { status: 'processing' } });
    await expect(resolve('line', { type: 'video', mediaId: '42' }, config(), secrets)).rejects.toThrow('LINE is still preparing the video');
    expect(fake.requests[0]).toMatchObject({ method: 'GET', path: '/data/v2/bot/message/42/content/transcoding' });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer line-token');
    fake.reply({ status: 200, body: { status: 'succeeded' } });
    expect(await resolve('line', { type: 'audio', mediaId: '43' }, config(), secrets)).toMatchObject({ url: `${fake.url}/data/v2/bot/message/43/content` });
  });

  it("fetches an external provider's content from its own https URL without LINE's token, and refuses plain http", async () => {
    expect(await resolve('line', { type: 'image', url: 'https://cdn.example.com/a.jpg' }, config(), secrets)).toEqual({ url: 'https://cdn.example.com/a.jpg', headers: {} });
    await expect(resolve('line', { type: 'image', url: 'http://10.0.0.8/a.jpg' }, config(), secrets)).rejects.toThrow('must be https');
  });
});

describe('Twilio media URLs', () => {
  const sid = `AC${'0'.repeat(32)}`;
  const config = () => ({ apiBaseUrl: fake.url, accountSid: sid, from: '+15550001111' });
  const mediaUrl = () => `${fake.url}/2010-04-01/Accounts/${sid}/Messages/MM1/Media/ME1`;

  it('sends HTTP Basic auth with the Account SID and auth token to Twilio, or the API key when there is one', async () => {
    const plain = await resolve('twilio', { type: 'image', url: mediaUrl(), mediaId: 'ME1' }, config(), { authToken: 'tw-token' });
    expect((await download(plain)).headers.authorization).toBe(basicOf(sid, 'tw-token'));
    const keyed = await resolve('twilio', { type: 'image', url: mediaUrl() }, config(), { authToken: 'tw-token', apiKeySid: `SK${'1'.repeat(32)}`, apiKeySecret: 'key-secret' });
    expect(keyed?.headers.authorization).toBe(basicOf(`SK${'1'.repeat(32)}`, 'key-secret'));
  });

  it('keeps the credentials from a media URL on another host', async () => {
    expect(await resolve('twilio', { type: 'image', url: 'https://evil.example.com/x.jpg' }, config(), { authToken: 'tw-token' })).toEqual({ url: 'https://evil.example.com/x.jpg', headers: {} });
    const twilioHost = await resolve('twilio', { type: 'image', url: `https://api.twilio.com/2010-04-01/Accounts/${sid}/Messages/MM1/Media/ME1` }, config(), { authToken: 'tw-token' });
    expect(twilioHost?.headers.authorization).toBe(basicOf(sid, 'tw-token'));
  });
});

describe('Bandwidth media URLs', () => {
  const config = () => ({ apiBaseUrl: fake.url, tokenUrl: `${fake.url}/api/v1/oauth2/token`, accountId: '9900000', applicationId: 'app-1', from: '+15550001111' });
  const mediaUrl = () => `${fake.url}/api/v2/users/9900000/media/14762070468292kw2fuqty55yp2b2/0/bw.png`;

  it('gets an OAuth token with the API client credentials and downloads with it as Bearer', async () => {
    fake.reply({ status: 200, body: { access_token: 'bw-access', token_type: 'Bearer', expires_in: 3600 } });
    const source = await resolve('bandwidth', { type: 'image', url: mediaUrl() }, config(), { clientId: 'media-client', clientSecret: 'cs', callbackUsername: 'u', callbackPassword: 'p' });
    expect(fake.requests[0]).toMatchObject({ method: 'POST', path: '/api/v1/oauth2/token', body: 'grant_type=client_credentials' });
    expect(fake.requests[0]?.headers.authorization).toBe(basicOf('media-client', 'cs'));
    const get = await download(source);
    expect(get.path).toBe('/api/v2/users/9900000/media/14762070468292kw2fuqty55yp2b2/0/bw.png');
    expect(get.headers.authorization).toBe('Bearer bw-access');
  });

  it('uses HTTP Basic for a legacy API user, and no credentials for another host', async () => {
    const legacy = { apiUsername: 'api-user', apiPassword: 'api-pass', callbackUsername: 'u', callbackPassword: 'p' };
    expect((await resolve('bandwidth', { type: 'file', url: mediaUrl() }, config(), legacy))?.headers).toEqual({ authorization: basicOf('api-user', 'api-pass') });
    expect((await resolve('bandwidth', { type: 'file', url: 'https://elsewhere.example.net/f.pdf' }, config(), legacy))?.headers).toEqual({});
  });

  it('says why when the OAuth token is refused', async () => {
    fake.reply({ status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } });
    await expect(resolve('bandwidth', { type: 'image', url: mediaUrl() }, config(), { clientId: 'refused-client', clientSecret: 'x' })).rejects.toThrow('oauth token: Client authentication failed');
  });
});

describe('platforms that give a plain link', () => {
  it.each(['messenger', 'instagram', 'chatwoot'])('%s: the attachment URL itself, with no credentials', async (type) => {
    const url = `${fake.url}/cdn/attachment.jpg?sig=1`;
    const source = await resolve(type, { type: 'image', url }, {}, { pageAccessToken: 'page-token', apiAccessToken: 'cw-token' });
    expect(source).toEqual({ url, headers: {} });
    expect((await download(source)).headers.authorization).toBeUndefined();
    await expect(resolve(type, { type: 'file', url: 'file:///etc/passwd' }, {}, {})).rejects.toThrow('not http(s)');
    expect(await resolve(type, { type: 'file', mediaId: '9' }, {}, {})).toBeNull();
  });
});

describe('channels whose media are not fetched', () => {
  it.each(['webhook', 'mqtt', 'websocket', 'webchat', 'email'])('%s: nothing to fetch', async (type) => {
    expect(await resolve(type, { type: 'image', url: `${fake.url}/shop/picture.png`, mediaId: 'm' }, {}, {})).toBeNull();
    expect(fake.requests).toHaveLength(0);
  });
});
