import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('media settings', () => {
  it('keeps media on local disk unless a bucket is named, with a 10 s fetch budget', () => {
    const config = loadConfig({});
    expect(config.S3_BUCKET).toBeUndefined();
    expect(config.S3_REGION).toBe('us-east-1');
    expect(config.S3_FORCE_PATH_STYLE).toBe(false);
    expect(config.MEDIA_FETCH_TIMEOUT_MS).toBe(10_000);
  });

  it('reads an S3-compatible store: endpoint, keys and path-style addressing', () => {
    const config = loadConfig({ S3_BUCKET: 'shop-media', S3_ENDPOINT: 'http://minio:9000', S3_ACCESS_KEY_ID: 'AKID', S3_SECRET_ACCESS_KEY: 'secret', S3_FORCE_PATH_STYLE: 'true', S3_REGION: 'eu-central-1' });
    expect(config).toMatchObject({ S3_BUCKET: 'shop-media', S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: true, S3_REGION: 'eu-central-1' });
    expect(loadConfig({ S3_BUCKET: 'shop-media', S3_FORCE_PATH_STYLE: 'false' }).S3_FORCE_PATH_STYLE).toBe(false);
  });

  it('stops the start naming the setting at fault', () => {
    expect(() => loadConfig({ S3_BUCKET: 'b-1', S3_ACCESS_KEY_ID: 'AKID' })).toThrow(/S3_SECRET_ACCESS_KEY: give both/);
    expect(() => loadConfig({ S3_ENDPOINT: 'http://minio:9000' })).toThrow(/S3_BUCKET: S3 settings are given but no S3_BUCKET/);
    expect(() => loadConfig({ S3_BUCKET: 'b-1', S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/S3_FORCE_PATH_STYLE/);
    expect(() => loadConfig({ S3_BUCKET: 'b-1', S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
    expect(() => loadConfig({ MEDIA_FETCH_TIMEOUT_MS: '50' })).toThrow(/MEDIA_FETCH_TIMEOUT_MS/);
    expect(() => loadConfig({ QUEUE_DRIVER: 'kafka' })).toThrow(/QUEUE_DRIVER: bullmq or leased/);
    expect(loadConfig({}).QUEUE_DRIVER).toBe('bullmq');
  });
});
