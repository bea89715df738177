'use client';

import type { ComponentProps, JSX } from 'react';
import Markdown, { type Components, type ExtraProps } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/** An element with the project's classes; react-markdown's `node` (the syntax tree) stays off the DOM. */
function styled<T extends keyof JSX.IntrinsicElements>(Tag: T, className: string) {
  return function Styled({ node: _node, ...props }: ComponentProps<T> & ExtraProps) {
    const Element = Tag as string;
    return <Element {...props} className={className} />;
  };
}

// Tailwind resets every element's look, and the project has no typography plugin: each element gets its classes here.
const COMPONENTS: Components = {
  h1: styled('h1', 'mt-4 mb-2 text-xl font-semibold text-slate-900 first:mt-0'),
  h2: styled('h2', 'mt-4 mb-2 text-lg font-semibold text-slate-900 first:mt-0'),
  h3: styled('h3', 'mt-3 mb-1.5 text-base font-semibold text-slate-900 first:mt-0'),
  h4: styled('h4', 'mt-3 mb-1 font-semibold text-slate-900 first:mt-0'),
  p: styled('p', 'my-2 first:mt-0 last:mb-0'),
  ul: styled('ul', 'my-2 list-disc space-y-1 pl-5'),
  ol: styled('ol', 'my-2 list-decimal space-y-1 pl-5'),
  strong: styled('strong', 'font-semibold text-slate-900'),
  code: styled('code', 'rounded bg-slate-100 px-1 py-0.5 font-mono text-[0.85em]'),
  pre: styled('pre', 'my-2 overflow-x-auto rounded-md bg-slate-100 p-3 text-xs'),
  blockquote: styled('blockquote', 'my-2 border-l-4 border-slate-200 pl-3 text-slate-600'),
  table: styled('table', 'my-2 w-full border-collapse text-left text-xs'),
  th: styled('th', 'border border-slate-200 bg-slate-50 px-2 py-1 font-medium'),
  td: styled('td', 'border border-slate-200 px-2 py-1'),
  hr: styled('hr', 'my-3 border-slate-200'),
  a: ({ node: _node, ...props }) => <a {...props} className="text-indigo-700 underline" target="_blank" rel="noreferrer noopener" />,
  // Pictures in an answer may come from anywhere on the web: the preview says where instead of loading them.
  img: ({ src, alt }) => <span className="text-slate-500">[image: {alt || (typeof src === 'string' ? src : '')}]</span>,
};

/** An article's markdown as a help page shows it (GitHub-flavoured: tables, task lists, autolinks). */
export function MarkdownPreview({ markdown }: { markdown: string }) {
  return (
    <div className="text-sm leading-relaxed text-slate-700" data-testid="markdown-preview">
      {markdown.trim() === '' ? (
        <p className="text-slate-400">The preview appears here as you type.</p>
      ) : (
        <Markdown remarkPlugins={[remarkGfm]} components={COMPONENTS}>
          {markdown}
        </Markdown>
      )}
    </div>
  );
}
