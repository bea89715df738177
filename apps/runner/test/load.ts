import { Agent, request } from 'undici';
import { SIGNATURE_HEADER, sign } from '@signalbox/channels';
import type { Callback } from '../src/testing/harness.ts';

export interface LoadPlan {
  conversations: number;
  perConversation: number;
  duplicateRatio: number;
}

/**
 * Sends `conversations x perConversation` messages; each conversation sends in order and waits for the
 * answer before its next message (as a platform delivers one chat), conversations run in parallel. A share
 * of messages is delivered twice, as platforms do. A failed request (a runner being killed) is retried
 * until it gets an answer, as platforms retry webhooks. Given several runners, a conversation's messages go to
 * each in turn (a load balancer without affinity).
 */
export async function sendLoad(baseUrl: string | readonly string[], channel: { id: string; secret: string }, plan: LoadPlan, onSent?: (n: number) => void) {
  const urls = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  const agent = new Agent({ connections: 128, keepAliveTimeout: 10_000 });
  let sent = 0;
  const statuses = new Map<number, number>();
  const post = async (body: string, turn: number) => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await request(`${urls[turn % urls.length]}/hooks/${channel.id}`, {
          method: 'POST',
          dispatcher: agent,
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: sign(body, channel.secret) },
          body,
        });
        await response.body.text();
        if (response.statusCode >= 500 && attempt < 200) throw new Error(`HTTP ${response.statusCode}`);
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        return response.statusCode;
      } catch (error) {
        if (attempt >= 600) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  let duplicateCounter = 0;
  await Promise.all(
    Array.from({ length: plan.conversations }, async (_, c) => {
      for (let k = 0; k < plan.perConversation; k += 1) {
        const body = JSON.stringify({ id: `c${c}-m${k}`, conversationId: `conv-${c}`, from: { id: `user-${c}` }, text: `m${k}` });
        await post(body, c + k);
        sent += 1;
        onSent?.(sent);
        duplicateCounter += 1;
        if (duplicateCounter % Math.round(1 / plan.duplicateRatio) === 0) await post(body, c + k + 1);
      }
    }),
  );
  await agent.close();
  return { statuses };
}

/** Every conversation's replies, in arrival order, must be echo: m0, m1, ... with no gap or repeat. */
export function checkReplies(received: Callback[], plan: LoadPlan) {
  const byConversation = new Map<string, Callback[]>();
  for (const r of received) byConversation.set(r.conversationId, [...(byConversation.get(r.conversationId) ?? []), r]);
  const problems: string[] = [];
  for (let c = 0; c < plan.conversations; c += 1) {
    const replies = byConversation.get(`conv-${c}`) ?? [];
    const texts = replies.map((r) => r.text);
    const expected = Array.from({ length: plan.perConversation }, (_, k) => `echo: m${k}`);
    if (JSON.stringify(texts) !== JSON.stringify(expected)) problems.push(`conv-${c}: got [${texts.join(', ')}]`);
  }
  return problems;
}
