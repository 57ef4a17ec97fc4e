// The phone's settings store: defaults from the config, write rules, and the settings.xml export.

export const READ_ONLY_SETTINGS = new Set(['mac', 'phone_type', 'firmware_version']);

/** Setting names the store takes (they become XML element names in settings.xml). */
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function escapeXml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );
}

export class SettingsStore {
  /** the live store; reset() refills this same Map so references stay valid */
  readonly map = new Map<string, string>();
  private readonly initial: Array<[string, string]>;

  constructor(initial: Record<string, string>) {
    this.initial = Object.entries(initial);
    this.reset();
  }

  reset(): void {
    this.map.clear();
    for (const [k, v] of this.initial) this.map.set(k, v);
  }

  /** Writes one setting as the web UI would; returns why it was refused, or null. */
  write(name: string, value: string): string | null {
    if (READ_ONLY_SETTINGS.has(name)) return `setting ${name} is read-only`;
    if (!NAME_RE.test(name)) return `no setting named ${JSON.stringify(name)}`;
    this.map.set(name, value);
    return null;
  }

  /** settings.xml in the assumed provisioning shape (docs/protocol.md §5.3, §11.4 S1); passwords are never exported. */
  toXml(): string {
    const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<settings>', '<phone-settings e="2">'];
    for (const [name, value] of this.map) {
      if (/pass/i.test(name)) continue;
      const m = /^(.*[^\d])(\d+)$/.exec(name);
      const tag = m ? m[1] : name;
      const idx = m ? ` idx="${m[2]}"` : '';
      lines.push(`<${tag}${idx} perm="">${escapeXml(value)}</${tag}>`);
    }
    lines.push('</phone-settings>', '</settings>', '');
    return lines.join('\n');
  }
}

/** Built-in settings a phone starts with (then config.settings on top). */
export function defaultSettings(o: {
  mac: string;
  modelId: string;
  firmware: string;
  user: string;
  password: string;
  auth: 'none' | 'basic' | 'digest';
  identities: string[];
}): Record<string, string> {
  const s: Record<string, string> = {
    mac: o.mac,
    phone_type: `snom${o.modelId}`,
    firmware_version: o.firmware,
    http_user: o.auth === 'none' ? '' : o.user,
    http_pass: o.auth === 'none' ? '' : o.password,
    http_scheme: o.auth === 'digest' ? 'on' : 'off',
    language: 'English',
  };
  o.identities.forEach((uri, i) => {
    const m = /^sips?:([^@]+)@(.+)$/.exec(uri);
    s[`user_name${i + 1}`] = m ? m[1] : uri;
    s[`user_host${i + 1}`] = m ? m[2] : '';
    s[`user_realname${i + 1}`] = m ? `Sim ${m[1]}` : uri;
    s[`user_pass${i + 1}`] = 'secret';
  });
  for (const a of [
    'action_incoming_url',
    'action_outgoing_url',
    'action_connected_url',
    'action_disconnected_url',
    'action_offhook_url',
    'action_onhook_url',
    'action_missed_url',
  ])
    s[a] = '';
  return s;
}
