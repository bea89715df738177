'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { renderTemplate, sampleScope, whatsappBody, WHATSAPP_CATEGORIES } from '@signalbox/nodes';
import { useState } from 'react';
import { errorOf, useTRPC } from '../trpc/client.tsx';
import { useFormErrors } from '../ui/use-form-errors.ts';
import { EditorActions, useUnsavedChanges, type RecordEditorHandlers } from '../ui/record-browser.tsx';
import { Badge, Button, Card, ErrorNote, Field, Select, Spinner, TextArea, TextInput } from '../ui/primitives.tsx';
import { languageName } from '../ui/language-name.ts';
import { draftOf, draftVariables, inputOf, newDraft, sameDraft, TEMPLATE_LANGUAGES, type TemplateDraft, type VariantDraft } from './template-draft.ts';

const CATEGORY_LABELS: Record<(typeof WHATSAPP_CATEGORIES)[number], string> = {
  utility: 'Utility (order updates, account notices)',
  marketing: 'Marketing (offers, news)',
  authentication: 'Authentication (one-time codes)',
};

interface EditorProps extends RecordEditorHandlers {
  /** null: a new template. */
  id: string | null;
  readOnly: boolean;
}

/** Loads a saved template (or starts a new one) and hands it to the form. */
export function TemplateEditor({ id, ...props }: EditorProps) {
  const trpc = useTRPC();
  const loaded = useQuery({ ...trpc.templates.get.queryOptions({ id: id ?? '' }), enabled: id !== null, refetchOnWindowFocus: false });
  if (id === null) return <TemplateForm id={null} revision={0} usedBy={[]} initial={newDraft()} {...props} />;
  if (loaded.isLoading) {
    return (
      <Card className="p-8 text-center">
        <Spinner label="Loading the template" />
      </Card>
    );
  }
  if (loaded.error || !loaded.data) return <ErrorNote>{loaded.error?.message ?? 'no such template'}</ErrorNote>;
  const { template, usedBy } = loaded.data;
  return <TemplateForm key={template.revision} id={template.id} revision={template.revision} usedBy={usedBy} initial={draftOf(template)} {...props} />;
}

function TemplateForm({
  id,
  revision,
  usedBy,
  initial,
  readOnly,
  onDirty,
  onSaved,
  onDeleted,
}: Omit<EditorProps, 'id'> & { id: string | null; revision: number; usedBy: { id: string; name: string }[]; initial: TemplateDraft }) {
  const trpc = useTRPC();
  const [baseline, setBaseline] = useState(initial);
  const [draft, setDraft] = useState(initial);
  const [tab, setTab] = useState(initial.defaultLanguage);
  const { fields, message, error, failed: refused, clear, forget, setMessage } = useFormErrors();
  const dirty = !sameDraft(draft, baseline);

  useUnsavedChanges(dirty, onDirty);

  const saved = (result: { id: string }) => {
    clear();
    setBaseline(draft);
    onSaved(result.id);
  };
  const failed = (caught: unknown) => {
    refused(caught);
    // Show the language whose variant is wrong.
    const wrong = [...errorOf(caught).fields.keys()].map((path) => /^variants\.(\d+)\./.exec(path)?.[1]).find((i) => i !== undefined);
    const language = wrong === undefined ? undefined : draft.variants[Number(wrong)]?.language;
    if (language) setTab(language);
  };
  const create = useMutation(trpc.templates.create.mutationOptions({ onSuccess: saved, onError: failed }));
  const remove = useMutation(trpc.templates.delete.mutationOptions({ onSuccess: () => onDeleted(), onError: (e) => setMessage(errorOf(e).message) }));
  const update = useMutation(trpc.templates.update.mutationOptions({ onSuccess: saved, onError: failed }));
  const saving = create.isPending || update.isPending;
  const save = () => {
    const template = inputOf(draft) as Record<string, unknown>;
    if (id === null) create.mutate({ template });
    else update.mutate({ id, revision, template });
  };

  const index = Math.max(0, draft.variants.findIndex((v) => v.language === tab));
  const variant = draft.variants[index];
  const set = (patch: Partial<TemplateDraft>) => {
    forget(Object.keys(patch));
    setDraft((d) => ({ ...d, ...patch }));
  };
  const setVariant = (patch: Partial<VariantDraft>) => {
    forget(Object.keys(patch).map((key) => `variants.${index}.${key}`));
    setDraft((d) => ({ ...d, variants: d.variants.map((v, i) => (i === index ? { ...v, ...patch } : v)) }));
  };
  const variables = draftVariables(draft);
  const missing = TEMPLATE_LANGUAGES.filter((l) => !draft.variants.some((v) => v.language === l));

  const addLanguage = (language: string) => {
    setDraft((d) => ({ ...d, variants: [...d.variants, { language, text: '', buttons: [], whatsappLanguage: '' }] }));
    setTab(language);
  };
  const removeLanguage = () => {
    if (!variant || draft.variants.length === 1) return;
    const rest = draft.variants.filter((_, i) => i !== index);
    set({ variants: rest, defaultLanguage: draft.defaultLanguage === variant.language ? rest[0]!.language : draft.defaultLanguage });
    setTab(draft.defaultLanguage === variant.language ? rest[0]!.language : draft.defaultLanguage);
  };

  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
      <Card className="p-5">
        <form
          className="space-y-5"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" htmlFor="template-name" error={error('name')} hint="Lowercase letters, digits and _, as WhatsApp requires.">
              <TextInput
                id="template-name"
                value={draft.name}
                readOnly={readOnly}
                placeholder="order_shipped"
                className="font-mono"
                aria-invalid={error('name') !== null}
                onChange={(e) => set({ name: e.target.value })}
              />
            </Field>
            <Field label="Description" htmlFor="template-description" error={error('description')} hint="When to use it; shown in the flow editor.">
              <TextInput id="template-description" value={draft.description} readOnly={readOnly} onChange={(e) => set({ description: e.target.value })} />
            </Field>
          </div>

          <div>
            <div className="flex flex-wrap items-center gap-1 border-b border-slate-200" role="tablist" aria-label="Languages">
              {draft.variants.map((v, i) => (
                <button
                  key={v.language}
                  type="button"
                  role="tab"
                  aria-selected={i === index}
                  onClick={() => setTab(v.language)}
                  className={`-mb-px flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm font-medium ${i === index ? 'border-indigo-600 text-indigo-700' : 'border-transparent text-slate-500 hover:text-slate-800'} ${[...fields.keys()].some((p) => p.startsWith(`variants.${i}.`)) ? 'text-red-600' : ''}`}
                >
                  {languageName(v.language)}
                  {v.language === draft.defaultLanguage && <span className="rounded bg-slate-100 px-1 text-[10px] font-semibold uppercase text-slate-500">default</span>}
                </button>
              ))}
              {!readOnly && (
                <select
                  aria-label="Add a language"
                  value=""
                  onChange={(e) => e.target.value && addLanguage(e.target.value)}
                  className="ml-auto rounded-md border-0 bg-transparent py-1 pl-2 pr-7 text-sm font-medium text-indigo-600 hover:bg-indigo-50 focus:ring-2 focus:ring-indigo-600"
                >
                  <option value="">+ Add language</option>
                  {missing.map((l) => (
                    <option key={l} value={l}>
                      {languageName(l)} ({l})
                    </option>
                  ))}
                </select>
              )}
            </div>
            {error('variants') && <p className="mt-2 text-xs text-red-600">{error('variants')}</p>}
            {error('defaultLanguage') && <p className="mt-2 text-xs text-red-600">{error('defaultLanguage')}</p>}

            {variant && (
              <div className="space-y-4 pt-4" role="tabpanel" aria-label={languageName(variant.language)}>
                <Field
                  label={`Message in ${languageName(variant.language)}`}
                  htmlFor="template-text"
                  error={error(`variants.${index}.text`) ?? error(`variants.${index}.language`)}
                  hint="Use {{variables}}: {{contact.name}}, {{orderId}}, or {{name | fallback}} for a value that may be missing."
                >
                  <TextArea
                    id="template-text"
                    rows={5}
                    value={variant.text}
                    readOnly={readOnly}
                    aria-invalid={error(`variants.${index}.text`) !== null}
                    onChange={(e) => setVariant({ text: e.target.value })}
                  />
                </Field>
                <ButtonsEditor variant={variant} index={index} readOnly={readOnly} error={error} onChange={(buttons) => setVariant({ buttons })} />
                {!readOnly && (
                  <div className="flex flex-wrap gap-2">
                    {variant.language !== draft.defaultLanguage && (
                      <Button size="sm" onClick={() => set({ defaultLanguage: variant.language })}>
                        Make {languageName(variant.language)} the default
                      </Button>
                    )}
                    {draft.variants.length > 1 && (
                      <Button size="sm" tone="ghost" onClick={removeLanguage}>
                        Remove {languageName(variant.language)}
                      </Button>
                    )}
                  </div>
                )}
                <p className="text-xs text-slate-500">
                  Customers whose language has no variant get the {languageName(draft.defaultLanguage)} one.
                </p>
              </div>
            )}
          </div>

          <fieldset className="space-y-3 rounded-lg border border-slate-200 p-4">
            <legend className="px-1 text-sm font-medium text-slate-700">WhatsApp</legend>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="checkbox" className="mt-0.5" checked={draft.whatsapp} disabled={readOnly} onChange={(e) => set({ whatsapp: e.target.checked })} />
              <span>
                Registered and approved in Meta&apos;s template manager under this name
                <span className="block text-xs text-slate-500">On WhatsApp it is then sent as a template, which may start a conversation after the 24-hour window.</span>
              </span>
            </label>
            {draft.whatsapp && variant && (
              <div className="grid gap-4 sm:grid-cols-2">
                <Field label="Category" htmlFor="template-category" error={error('whatsapp.category')}>
                  <Select id="template-category" value={draft.category} disabled={readOnly} onChange={(e) => set({ category: e.target.value as TemplateDraft['category'] })}>
                    {WHATSAPP_CATEGORIES.map((c) => (
                      <option key={c} value={c}>
                        {CATEGORY_LABELS[c]}
                      </option>
                    ))}
                  </Select>
                </Field>
                <Field
                  label={`WhatsApp language code (${languageName(variant.language)})`}
                  htmlFor="template-wa-language"
                  error={error(`variants.${index}.whatsappLanguage`)}
                  hint={`Only when registered as a regional code, such as ${variant.language}_US.`}
                >
                  <TextInput
                    id="template-wa-language"
                    value={variant.whatsappLanguage}
                    placeholder={variant.language}
                    readOnly={readOnly}
                    className="font-mono"
                    onChange={(e) => setVariant({ whatsappLanguage: e.target.value })}
                  />
                </Field>
                <div className="sm:col-span-2">
                  <p className="text-sm font-medium text-slate-700">Body to register with Meta</p>
                  <pre className="mt-1 whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-200">{whatsappBody(variant.text) || '…'}</pre>
                  {variables.length > 0 && (
                    <p className="mt-1 text-xs text-slate-500">{variables.map((v, i) => `{{${i + 1}}} = ${v}`).join(' · ')}</p>
                  )}
                </div>
              </div>
            )}
          </fieldset>

          {message && <ErrorNote>{message}</ErrorNote>}
          {!readOnly && (
            <EditorActions
              noun="template"
              name={draft.name}
              isNew={id === null}
              dirty={dirty}
              saving={saving}
              onDiscard={() => setDraft(baseline)}
              onDelete={() => id && remove.mutate({ id })}
              consequence={<UsedBy flows={usedBy} />}
            />
          )}
        </form>
      </Card>

      <aside className="space-y-4" aria-label="Preview">
        <Card className="p-4">
          <div className="flex items-center justify-between">
            <h3 className="text-sm font-semibold text-slate-900">Preview</h3>
            {variant && <Badge tone="indigo">{languageName(variant.language)}</Badge>}
          </div>
          {variant && <Bubble variant={variant} sample={draft.sampleData} />}
        </Card>
        <Card className="space-y-3 p-4">
          <h3 className="text-sm font-semibold text-slate-900">Sample data</h3>
          {variables.length === 0 ? (
            <p className="text-xs text-slate-500">Variables you use, such as {'{{orderId}}'}, get an example value here for the preview.</p>
          ) : (
            variables.map((name) => (
              <Field key={name} label={name} htmlFor={`sample-${name}`} error={error(`sampleData.${name}`)}>
                <TextInput
                  id={`sample-${name}`}
                  value={draft.sampleData[name] ?? ''}
                  readOnly={readOnly}
                  onChange={(e) => set({ sampleData: { ...draft.sampleData, [name]: e.target.value } })}
                />
              </Field>
            ))
          )}
        </Card>
      </aside>

    </div>
  );
}

/** What deleting a template does to the flows that send it. */
function UsedBy({ flows }: { flows: readonly { id: string; name: string }[] }) {
  if (flows.length === 0) return <p className="text-sm text-slate-600">No flow sends it.</p>;
  return (
    <div className="space-y-2 text-sm text-slate-600">
      <p>These flows send it; their send-message nodes will fail (and take their error path) until you pick another template:</p>
      <ul className="list-disc pl-5">
        {flows.map((f) => (
          <li key={f.id}>
            <a className="font-medium text-indigo-600 hover:underline" href={`/flows/${f.id}`}>
              {f.name}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function ButtonsEditor({
  variant,
  index,
  readOnly,
  error,
  onChange,
}: {
  variant: VariantDraft;
  index: number;
  readOnly: boolean;
  error(path: string): string | null;
  onChange(buttons: VariantDraft['buttons']): void;
}) {
  const change = (i: number, patch: Partial<VariantDraft['buttons'][number]>) => onChange(variant.buttons.map((b, n) => (n === i ? { ...b, ...patch } : b)));
  return (
    <div className="space-y-2">
      <p className="text-sm font-medium text-slate-700">Buttons</p>
      {variant.buttons.map((b, i) => (
        <div key={i} className="flex items-start gap-2">
          <div className="w-40">
            <TextInput
              aria-label={`Button ${i + 1} id`}
              value={b.id}
              placeholder="id"
              readOnly={readOnly}
              className="font-mono"
              aria-invalid={error(`variants.${index}.buttons.${i}.id`) !== null}
              onChange={(e) => change(i, { id: e.target.value })}
            />
            {error(`variants.${index}.buttons.${i}.id`) && <p className="mt-1 text-xs text-red-600">{error(`variants.${index}.buttons.${i}.id`)}</p>}
          </div>
          <div className="flex-1">
            <TextInput
              aria-label={`Button ${i + 1} title`}
              value={b.title}
              placeholder="Title customers see"
              readOnly={readOnly}
              aria-invalid={error(`variants.${index}.buttons.${i}.title`) !== null}
              onChange={(e) => change(i, { title: e.target.value })}
            />
            {error(`variants.${index}.buttons.${i}.title`) && <p className="mt-1 text-xs text-red-600">{error(`variants.${index}.buttons.${i}.title`)}</p>}
          </div>
          {!readOnly && (
            <Button tone="ghost" size="sm" aria-label={`Remove button ${i + 1}`} onClick={() => onChange(variant.buttons.filter((_, n) => n !== i))}>
              ✕
            </Button>
          )}
        </div>
      ))}
      {!readOnly && variant.buttons.length < 10 && (
        <Button size="sm" onClick={() => onChange([...variant.buttons, { id: `option_${variant.buttons.length + 1}`, title: '' }])}>
          Add button
        </Button>
      )}
    </div>
  );
}

/** The variant as the customer sees it, filled in with the sample data. */
function Bubble({ variant, sample }: { variant: VariantDraft; sample: Record<string, string> }) {
  const scope = sampleScope(sample);
  const text = renderTemplate(variant.text, scope);
  return (
    <div className="mt-3 rounded-lg bg-slate-100 p-3">
      <div data-testid="template-preview" className="max-w-[90%] whitespace-pre-wrap rounded-2xl rounded-tl-sm bg-white px-3 py-2 text-sm text-slate-800 shadow-sm">
        {text.trim() === '' ? <span className="text-slate-400">Write the message to see it here.</span> : text}
      </div>
      {variant.buttons.length > 0 && (
        <div className="mt-2 flex flex-wrap gap-1.5">
          {variant.buttons.map((b, i) => (
            <span key={i} className="rounded-full bg-white px-3 py-1 text-xs font-medium text-indigo-700 ring-1 ring-inset ring-indigo-200">
              {renderTemplate(b.title, scope) || '…'}
            </span>
          ))}
        </div>
      )}
    </div>
  );
}
