/**
 * MQTT topic rules (MQTT 5.0 section 4.7), as pure functions: the settings form, the inbound normalizer and
 * the outbound renderer check topics the same way, and the browser can import them.
 *
 * Topics are levels separated by `/`. A subscription filter may use `+` (exactly one level) and `#` (any
 * number of levels, only as the last one); a topic a message is published to may use neither. NUL is never
 * allowed, and a topic is at most 65,535 bytes of UTF-8.
 */

export const MAX_TOPIC_BYTES = 65_535;

/** The placeholder an outbound topic template may contain: the conversation's thread. */
export const THREAD_PLACEHOLDER = '{conversationId}';

const utf8 = new TextEncoder();

function lengthProblem(topic: string): string | null {
  if (topic.length === 0) return 'is empty';
  if (utf8.encode(topic).length > MAX_TOPIC_BYTES) return `is longer than ${MAX_TOPIC_BYTES} bytes`;
  if (topic.includes('\u0000')) return 'contains a NUL character';
  return null;
}

/**
 * The filter without a shared-subscription prefix: `$share/<group>/shop/+/in` delivers messages whose topics
 * match `shop/+/in`.
 */
function matchedFilter(filter: string): string {
  if (!filter.startsWith('$share/')) return filter;
  return filter.split('/').slice(2).join('/');
}

/** Why `filter` is not a valid subscription filter, or null when it is. */
export function filterProblem(filter: string): string | null {
  const length = lengthProblem(filter);
  if (length) return length;
  if (filter.startsWith('$share/') && (filter.split('/').length < 3 || filter.split('/')[1] === '')) {
    return 'a shared subscription needs a group and a filter: $share/<group>/<filter>';
  }
  const levels = matchedFilter(filter).split('/');
  for (const [index, level] of levels.entries()) {
    if (level.includes('#') && (level !== '#' || index !== levels.length - 1)) return '"#" must be a whole level and the last one (shop/#)';
    if (level.includes('+') && level !== '+') return '"+" must be a whole level (shop/+/in)';
  }
  return null;
}

/** Why messages cannot be published to `topic`, or null when they can. */
export function topicProblem(topic: string): string | null {
  const length = lengthProblem(topic);
  if (length) return length;
  if (topic.includes('+') || topic.includes('#')) return 'contains a wildcard ("+" or "#"), which only subscriptions may use';
  // Brokers keep $-topics ($SYS/…) for themselves and refuse publications to them.
  if (topic.startsWith('$')) return 'starts with "$", which brokers reserve for their own topics';
  return null;
}

/** Why `template` cannot make outbound topics, or null when it can. Only `{conversationId}` is a placeholder. */
export function templateProblem(template: string): string | null {
  for (const match of template.matchAll(/\{([^{}]*)\}/g)) {
    if (match[0] !== THREAD_PLACEHOLDER) return `has an unknown placeholder ${match[0]}; the only one is ${THREAD_PLACEHOLDER}`;
  }
  return topicProblem(template.replaceAll(THREAD_PLACEHOLDER, 'x'));
}

/**
 * What the filter's wildcards matched in `topic`, levels joined by `/`: `shop/+/in` and `shop/c-42/in` give
 * `c-42`; `shop/+/in/#` and `shop/a/in/b/c` give `a/b/c`. `""` when the filter has no wildcard (or `#` matched
 * no level); null when the topic does not match the filter at all.
 */
export function wildcardPart(filter: string, topic: string): string | null {
  const filterLevels = matchedFilter(filter).split('/');
  const topicLevels = topic.split('/');
  // A filter starting with a wildcard does not match $-topics (MQTT 5.0 section 4.7.2).
  if (topic.startsWith('$') && (filterLevels[0] === '+' || filterLevels[0] === '#')) return null;
  const parts: string[] = [];
  for (const [index, level] of filterLevels.entries()) {
    if (level === '#') return [...parts, ...topicLevels.slice(index)].join('/');
    const actual = topicLevels[index];
    if (actual === undefined) return null;
    if (level === '+') parts.push(actual);
    else if (level !== actual) return null;
  }
  return topicLevels.length === filterLevels.length ? parts.join('/') : null;
}
