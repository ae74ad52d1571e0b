/** @jsxImportSource preact */
import { useRef, useState } from 'preact/hooks';
import { maxMessageChars } from '../../../shared/realtime/protocol.ts';
import type { Snapshot, WidgetController } from '../controller.ts';
import { ClipIcon, SendIcon } from './icons.tsx';

/** Enter sends, Shift+Enter breaks the line; Enter that confirms an IME candidate (pinyin!) does neither. */
export function Composer({ s, controller }: { s: Snapshot; controller: WidgetController }) {
  const { t } = s;
  const [text, setText] = useState('');
  const area = useRef<HTMLTextAreaElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const composing = useRef(false);

  const grow = () => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
  };
  const submit = () => {
    if (!controller.sendText(text)) return;
    setText('');
    if (area.current) {
      area.current.value = '';
      grow();
      area.current.focus();
    }
  };
  const sendFiles = (files: FileList | File[] | null | undefined) => {
    for (const file of Array.from(files ?? [])) void controller.sendFile(file);
  };

  return (
    <form
      class="composer"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {s.uploading > 0 && (
        <p class="uploading" role="status">
          {t.uploading}
        </p>
      )}
      <button
        type="button"
        class="icon-btn"
        aria-label={t.attach}
        title={t.attach}
        onClick={() => fileInput.current?.click()}
      >
        <ClipIcon />
      </button>
      <input
        ref={fileInput}
        type="file"
        multiple
        hidden
        tabIndex={-1}
        aria-hidden="true"
        onChange={(event) => {
          sendFiles(event.currentTarget.files);
          event.currentTarget.value = '';
        }}
      />
      <textarea
        ref={area}
        data-autofocus
        rows={1}
        value={text}
        maxLength={maxMessageChars}
        aria-label={t.message}
        aria-describedby="composer-hint"
        placeholder={t.placeholder}
        enterkeyhint="send"
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          controller.typing(value.trim().length > 0);
          grow();
        }}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={() => (composing.current = false)}
        onKeyDown={(event) => {
          // keyCode 229: some browsers (Safari) end the composition before the Enter keydown arrives.
          if (
            event.key !== 'Enter' ||
            event.shiftKey ||
            event.isComposing ||
            composing.current ||
            event.keyCode === 229
          )
            return;
          event.preventDefault();
          submit();
        }}
        onPaste={(event) => {
          const files = event.clipboardData?.files;
          if (files?.length) {
            event.preventDefault();
            sendFiles(files);
          }
        }}
      />
      <span id="composer-hint" class="sr">
        {t.composerHint}
      </span>
      <button type="submit" class="icon-btn send" aria-label={t.send} title={t.send} disabled={!text.trim()}>
        <SendIcon />
      </button>
    </form>
  );
}
