/**
 * `kefu keys`: the field-encryption key ring. `status` shows the versions and the latest rotation;
 * `rotate` adds a key (to <dataDir>/keyring, unless KEFU_ENCRYPTION_KEYS holds them) and reseals
 * every stored value under it, printing progress, resumable (run it again after an interruption);
 * `generate` prints a new version:hex pair for KEFU_ENCRYPTION_KEYS on multi-node installs.
 */
import type { Command } from 'commander';
import type { Config } from '../../server/config.ts';
import { addKeyToDataDir, keysInDataDir, loadKeyRing, newKeyPair } from '../../server/keys.ts';
import { latestRotation, rotateKeys, type Rotation } from '../../server/modules/privacy/index.ts';
import { secretKey } from '../../server/services.ts';
import type { CliIo } from '../io.ts';
import { configFrom, printer, withServices } from '../shared.ts';

const describe = (r: Rotation) =>
  `rotation to key ${r.keyVersion}: ${r.status}; ${r.progress.targetName ?? 'all'} (${Math.min(r.progress.target + 1, r.progress.targets)}/${r.progress.targets}), ${r.progress.scanned} rows read, ${r.progress.resealed} resealed`;

export function keysCommands(program: Command, io: CliIo): void {
  const print = printer(io);
  const keys = program.command('keys').description('field-encryption keys: status, rotation');
  const ring = (config: Config) => loadKeyRing(config, secretKey(config));

  keys
    .command('status')
    .description('key versions, the current one, and the latest rotation')
    .action(async (_o: unknown, cmd: Command) => {
      const config = configFrom(cmd, io);
      const r = ring(config);
      print(`key versions: ${[...r.keys.keys()].sort((a, b) => a - b).join(', ')}; current: ${r.current}`);
      print(`kept in: ${keysInDataDir(config) ? 'the data folder (keyring)' : 'KEFU_ENCRYPTION_KEYS'}`);
      await withServices(config, async (s) => {
        const last = await latestRotation(s);
        print(last ? describe(last) : 'no rotation yet');
      });
    });

  keys
    .command('generate')
    .description('print a new key as version:hex, to add to KEFU_ENCRYPTION_KEYS on every node')
    .action((_o: unknown, cmd: Command) => print(newKeyPair(ring(configFrom(cmd, io)))));

  keys
    .command('rotate')
    .description(
      'add a key and reseal every stored value under it, with progress; run again to resume an interrupted rotation',
    )
    .option('--batch <n>', 'rows per batch', '500')
    .option(
      '--no-new-key',
      'reseal under the current key without adding one (after an interruption, or with KEFU_ENCRYPTION_KEYS)',
    )
    .action(async (o: { batch: string; newKey: boolean }, cmd: Command) => {
      const config = configFrom(cmd, io);
      const batch = Number(o.batch);
      if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) throw new Error('--batch must be 1 to 10000');
      await withServices(config, async (s) => {
        const last = await latestRotation(s);
        if (last?.status === 'running' && last.keyVersion === s.cipher.currentVersion) {
          print(`resuming the ${describe(last)}`);
          return;
        }
        if (!o.newKey) return;
        if (!keysInDataDir(config))
          throw new Error(
            'the keys are in KEFU_ENCRYPTION_KEYS: add one (kefu keys generate) on every node, make it current (KEFU_ENCRYPTION_VERSION), restart, then run kefu keys rotate --no-new-key',
          );
        const version = addKeyToDataDir(config, ring(config));
        print(
          `added key ${version} to ${config.dataDir}/keyring (back it up with secret.key; keep both out of database backups)`,
        );
      });
      // These services load the ring again, now with the new key as the current one.
      await withServices(config, async (s) => {
        const r = await rotateKeys(s, { batch, onProgress: (p) => print(describe(p)) });
        print(r.status === 'done' ? `done: every stored value is sealed with key ${r.keyVersion}` : describe(r));
      });
    });
}
