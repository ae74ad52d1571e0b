/** @jsxImportSource preact */
import { useState } from 'preact/hooks';
import { maxMessageChars } from '../../../shared/realtime/protocol.ts';
import type { Snapshot, WidgetController } from '../controller.ts';
import { fill, type Strings } from '../i18n.ts';
import { isContact, validatePreChat, type FieldError, type PreChatField, type PreChatValues } from '../settings.ts';

type Props = { s: Snapshot; controller: WidgetController };

const inputs: Record<
  PreChatField,
  { type: 'text' | 'tel' | 'email'; autoComplete: string; inputMode?: 'tel' | 'email' | 'text' }
> = {
  name: { type: 'text', autoComplete: 'name' },
  phone: { type: 'tel', autoComplete: 'tel', inputMode: 'tel' },
  email: { type: 'email', autoComplete: 'email', inputMode: 'email' },
  orderNo: { type: 'text', autoComplete: 'off' },
};

type FieldProps = {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  required?: boolean;
  error?: string;
  t: Strings;
  type?: 'text' | 'tel' | 'email';
  autoComplete?: string;
  inputMode?: 'tel' | 'email' | 'text';
  multiline?: boolean;
  maxLength: number;
  first?: boolean;
};

function Field(p: FieldProps) {
  const shared = {
    id: p.id,
    name: p.id,
    value: p.value,
    maxLength: p.maxLength,
    required: p.required,
    'aria-required': p.required || undefined,
    'aria-invalid': p.error ? true : undefined,
    'aria-describedby': p.error ? `${p.id}-error` : undefined,
    'data-autofocus': p.first || undefined,
    onInput: (event: Event) => p.onValue((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={p.error ? 'field invalid' : 'field'}>
      <label for={p.id}>
        {p.label}
        {p.required && (
          <span class="req" title={p.t.required}>
            {' *'}
            <span class="sr">{p.t.required}</span>
          </span>
        )}
      </label>
      {p.multiline ? (
        <textarea rows={4} {...shared} />
      ) : (
        // Preact's input typings discriminate on a literal `type`; a union of three does not narrow.
        <input type={(p.type ?? 'text') as 'text'} autoComplete={p.autoComplete} inputMode={p.inputMode} {...shared} />
      )}
      {p.error && (
        <p class="field-error" id={`${p.id}-error`}>
          {p.error}
        </p>
      )}
    </div>
  );
}

/** Moves focus to the first field with an error, so a screen reader announces it. */
function focusFirstInvalid(form: HTMLFormElement | null) {
  form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
}

export function PreChatForm({ s, controller }: Props) {
  const { t, config } = s;
  const [values, setValues] = useState<PreChatValues>({});
  const [errors, setErrors] = useState<Partial<Record<PreChatField, FieldError>>>({});
  const [busy, setBusy] = useState(false);
  if (!config) return null;
  const fields = s.preChatFields;
  const message = (field: PreChatField, error: FieldError | undefined) =>
    error === 'required'
      ? fill(t.fieldRequired, { field: t[field] })
      : error === 'email'
        ? t.emailInvalid
        : error === 'phone'
          ? t.phoneInvalid
          : error === 'orderNo'
            ? t.orderNoInvalid
            : undefined;

  return (
    <form
      class="form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const found = validatePreChat(config, fields, values);
        setErrors(found);
        if (Object.keys(found).length) {
          requestAnimationFrame(() => focusFirstInvalid(form));
          return;
        }
        setBusy(true);
        try {
          await controller.submitPreChat(values);
        } catch {
          setBusy(false); // the controller shows why
        }
      }}
    >
      <p class="muted">{t.preChatIntro}</p>
      {fields.map((field, i) => (
        <Field
          key={field}
          id={`pc-${field}`}
          label={t[field]}
          value={values[field] ?? ''}
          onValue={(value) => setValues((v) => ({ ...v, [field]: value }))}
          required={config.preChat.required.includes(field)}
          error={message(field, errors[field])}
          t={t}
          maxLength={field === 'email' ? 254 : field === 'name' ? 100 : 64}
          first={i === 0}
          {...inputs[field]}
        />
      ))}
      <button type="submit" class="primary" disabled={busy}>
        {t.start}
      </button>
    </form>
  );
}

/**
 * A message for later (→ a ticket through the offline-message door), also offered to a shopper
 * who waited in the queue too long; `callback` asks for a call back instead (phone, optional note).
 */
export function OfflineForm({ s, controller, callback = false }: Props & { callback?: boolean }) {
  const { t } = s;
  const [name, setName] = useState('');
  const [contact, setContact] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<{ contact?: string; body?: string }>({});
  const [busy, setBusy] = useState(false);

  return (
    <form
      class="form"
      noValidate
      onSubmit={async (event) => {
        event.preventDefault();
        const form = event.currentTarget;
        const found: typeof errors = {};
        if (!isContact(contact)) found.contact = t.contactInvalid;
        if (!callback && !body.trim()) found.body = t.messageRequired;
        setErrors(found);
        if (Object.keys(found).length) {
          requestAnimationFrame(() => focusFirstInvalid(form));
          return;
        }
        setBusy(true);
        try {
          const text = callback ? [t.callbackBody, body.trim()].filter(Boolean).join('\n') : body;
          await controller.submitOffline({ name, contact, body: text, callback });
        } catch {
          setBusy(false);
        }
      }}
    >
      <h2>{callback ? t.callbackTitle : t.offlineTitle}</h2>
      <Field
        id="off-name"
        label={t.yourName}
        value={name}
        onValue={setName}
        t={t}
        autoComplete="name"
        maxLength={100}
        first
      />
      <Field
        id="off-contact"
        label={callback ? t.callbackPhone : t.contact}
        value={contact}
        onValue={setContact}
        required
        error={errors.contact}
        t={t}
        type={callback ? 'tel' : 'text'}
        inputMode={callback ? 'tel' : undefined}
        autoComplete={callback ? 'tel' : 'email'}
        maxLength={254}
      />
      <Field
        id="off-body"
        label={callback ? t.callbackNote : t.message}
        value={body}
        onValue={setBody}
        required={!callback}
        error={errors.body}
        t={t}
        multiline
        maxLength={maxMessageChars}
      />
      <button type="submit" class="primary" disabled={busy}>
        {callback ? t.callbackSubmit : t.submitMessage}
      </button>
    </form>
  );
}
