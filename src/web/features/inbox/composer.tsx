import { useEffect, useMemo, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import { App, Button, Flex, Input, Segmented, Tooltip, Typography, theme } from 'antd';
import { PaperClipOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { maxMessageChars, type Attachment, type SendKind } from '../../../shared/realtime/protocol.ts';
import { useErrorText } from '../../shared/use-error-text.ts';
import { useMe } from '../auth/session.ts';
import { cannedRepliesQuery, uploadFile, type CannedReply } from './api.ts';
import { CannedPicker } from './canned-picker.tsx';
import { MentionPicker, useMentionPicker, type Mentionable } from './mention-picker.tsx';
import { fillVariables, filterCanned, slashQuery } from './text.ts';
import { shownName } from '../../shared/format.ts';

type Mode = 'reply' | 'note';
/** While typing, "on" is repeated this often; "off" follows this long after the last key. */
const typingRepeatMs = 3000;
const typingIdleMs = 4000;

export function Composer({
  customerName,
  onSend,
  onTyping,
}: {
  customerName: string | null;
  onSend: (kind: SendKind, body: string, attachments: Attachment[]) => void;
  onTyping: (on: boolean) => void;
}) {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const me = useMe();
  const canned = useQuery(cannedRepliesQuery());
  const [mode, setMode] = useState<Mode>('reply');
  const [text, setText] = useState('');
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [uploading, setUploading] = useState(false);
  const area = useRef<HTMLTextAreaElement | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const typing = useRef<{ sentAt: number; idle: number | null }>({ sentAt: 0, idle: null });

  const slash = slashQuery(text, caret);
  const picking = slash !== null && dismissed !== slash.start;
  const matches = useMemo(
    () => (picking ? filterCanned(canned.data?.items ?? [], slash.search) : []),
    [picking, canned.data, slash?.search],
  );
  useEffect(() => setActive(0), [slash?.search]);
  const mention = useMentionPicker(text, caret, mode === 'note');

  const stopTyping = () => {
    const state = typing.current;
    if (state.idle !== null) window.clearTimeout(state.idle);
    if (state.sentAt) onTyping(false);
    typing.current = { sentAt: 0, idle: null };
  };
  useEffect(() => stopTyping, []); // on unmount only

  const signalTyping = () => {
    if (mode !== 'reply') return;
    const state = typing.current;
    const now = Date.now();
    if (now - state.sentAt > typingRepeatMs) {
      onTyping(true);
      state.sentAt = now;
    }
    if (state.idle !== null) window.clearTimeout(state.idle);
    state.idle = window.setTimeout(stopTyping, typingIdleMs);
  };

  const insert = (reply: CannedReply) => {
    if (!slash) return;
    const filled = fillVariables(reply.content, { customerName, agentName: shownName(me.user) });
    const next = text.slice(0, slash.start) + filled + text.slice(caret);
    const at = slash.start + filled.length;
    setText(next);
    setCaret(at);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(at, at);
    });
  };

  const insertMention = (p: Mentionable) => {
    const next = mention.insert(p);
    if (!next) return;
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      area.current?.focus();
      area.current?.setSelectionRange(next.caret, next.caret);
    });
  };

  const send = () => {
    const body = text.trim();
    if (!body) return;
    onSend(mode === 'note' ? 'note' : 'text', body, []);
    setText('');
    setCaret(0);
    stopTyping();
  };

  const upload = async (files: File[]) => {
    if (!files.length) return;
    setUploading(true);
    try {
      for (const f of files) {
        const attachment = await uploadFile(f, me.csrfToken);
        onSend(mode === 'note' ? 'note' : attachment.mime.startsWith('image/') ? 'image' : 'file', '', [attachment]);
      }
    } catch (error) {
      void message.error(errorText(error));
    } finally {
      setUploading(false);
      if (file.current) file.current.value = '';
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing || e.keyCode === 229) return; // an IME (拼音) is still composing
    if (mention.picking) {
      const n = mention.matches.length;
      if (n && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        mention.setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
        return;
      }
      if (n && (e.key === 'Enter' || e.key === 'Tab')) {
        e.preventDefault();
        insertMention(mention.matches[mention.active] ?? mention.matches[0]);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        mention.dismiss();
        return;
      }
    }
    if (picking && matches.length) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        insert(matches[active] ?? matches[0]);
        return;
      }
    }
    if (picking && e.key === 'Escape') {
      e.preventDefault();
      setDismissed(slash.start);
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      send();
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.files];
    if (files.length) {
      e.preventDefault();
      void upload(files);
    }
  };

  const note = mode === 'note';
  return (
    <div
      style={{
        position: 'relative',
        borderTop: `1px solid ${token.colorBorderSecondary}`,
        padding: 12,
        background: note ? '#fffbe6' : token.colorBgContainer,
      }}
    >
      {mention.picking && (
        <MentionPicker
          items={mention.matches}
          active={mention.active}
          onPick={insertMention}
          onHover={mention.setActive}
        />
      )}
      {picking && !mention.picking && (
        <CannedPicker items={matches} active={active} onPick={insert} onHover={setActive} />
      )}
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Segmented<Mode>
          size="small"
          value={mode}
          onChange={(next) => {
            if (next === 'note') stopTyping();
            setMode(next);
          }}
          options={[
            { value: 'reply', label: t('inbox.reply') },
            { value: 'note', label: t('inbox.noteMode') },
          ]}
          data-testid="composer-mode"
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {note ? t('inbox.noteHint') : t('inbox.composerHint')}
        </Typography.Text>
      </Flex>
      <Input.TextArea
        ref={(el) => {
          area.current = el?.resizableTextArea?.textArea ?? null;
        }}
        value={text}
        maxLength={maxMessageChars}
        autoSize={{ minRows: 2, maxRows: 8 }}
        placeholder={note ? t('inbox.notePlaceholder') : t('inbox.replyPlaceholder')}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart);
          setDismissed(null);
          mention.reset();
          if (e.target.value) signalTyping();
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        variant={note ? 'filled' : 'outlined'}
        style={note ? { background: '#fff8d6' } : undefined}
        data-testid="composer-input"
      />
      <Flex justify="space-between" align="center" style={{ marginTop: 8 }}>
        <Tooltip title={t('inbox.attach')}>
          <Button
            icon={<PaperClipOutlined />}
            loading={uploading}
            onClick={() => file.current?.click()}
            aria-label={t('inbox.attach')}
            data-testid="composer-attach"
          />
        </Tooltip>
        <input
          ref={file}
          type="file"
          hidden
          multiple
          accept="image/png,image/jpeg,image/gif,image/webp,.pdf,.txt,.csv,.zip,.doc,.docx,.xls,.xlsx"
          onChange={(e) => void upload([...(e.target.files ?? [])])}
          data-testid="composer-file"
        />
        <Button
          type="primary"
          icon={<SendOutlined />}
          disabled={!text.trim()}
          onClick={send}
          data-testid="composer-send"
          style={note ? { background: '#d48806' } : undefined}
        >
          {note ? t('inbox.addNote') : t('inbox.send')}
        </Button>
      </Flex>
    </div>
  );
}
