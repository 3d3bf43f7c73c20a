/** `--format markdown` of the package commands and of smoke (tables a CI step summary shows), and smoke's text report. */
import { basename } from 'node:path';
import type { KernelCompiler } from '../kernel/compiler.js';
import type { BuildResult } from '../pipeline/build-packages.js';
import type { SmokeResult } from '../smoke/smoke.js';
import type { BootReport } from '../smoke/boot/report.js';
import { describeScriptNote, failsTheRun, type ScriptNote } from '../smoke/install/script-notes.js';
import { mdBlock, mdCode, mdDocument, mdPrintable, mebibytes, mdTable, mdText } from '../util/markdown.js';
import { printable, printableLines, printableReport } from '../util/printable.js';

export function packagesMarkdown<Kind extends string>(command: string, result: BuildResult<Kind>): string {
  const n = result.packages.length;
  return mdDocument([
    `### kpkg ${command}: ${n} package${n === 1 ? '' : 's'} for ${mdText(result.release)} (${mdText(result.arch)})`,
    mdTable(
      ['package', 'version', 'file', 'size', 'sha256'],
      result.packages.map((p) => [
        mdCode(p.name),
        mdText(p.version),
        mdCode(basename(p.path)),
        mebibytes(p.size),
        mdCode(p.sha256),
      ]),
    ),
    result.setFiles.length === 0
      ? undefined
      : `Beside them: ${result.setFiles.map((f) => mdCode(basename(f))).join(', ')}`,
    result.rebuilt.length === 0
      ? undefined
      : `**${result.rebuilt.length} host programs rebuilt for ${mdText(result.arch)}**, ${result.elfCount} ELF files checked${result.targetLibraries === undefined ? '' : `; target libraries: ${mdText(result.targetLibraries)}`}\n\n${mdTable(
          ['program', 'was'],
          result.rebuilt.map((r) => [mdCode(r.path), mdText(r.was)]),
        )}`,
    result.depends.length === 0
      ? undefined
      : `**The headers depend on:** ${result.depends.map(mdCode).join(', ')}${result.pluginCompiler === undefined ? '' : `; GCC plugins for ${mdText(result.pluginCompiler)}`}`,
    result.warnings.length === 0
      ? undefined
      : `**Warnings**\n\n${result.warnings.map((w) => `- ${mdText(w)}`).join('\n')}`,
  ]);
}

/** The boot of `kpkg smoke --boot`: the machine and timings, then every module and what the kernel said. */
function bootMarkdown(boot: BootReport): string {
  return mdDocument([
    mdTable(
      ['boot', 'kernel file', 'to /init', 'whole boot', 'taint'],
      [
        [
          boot.ok ? '✅' : '❌',
          `${mdCode(boot.kernelFile)}${boot.decompressed ? ' (decompressed for qemu)' : ''}`,
          boot.secondsToInit === undefined ? '—' : `${boot.secondsToInit.toFixed(1)} s`,
          `${boot.seconds.toFixed(1)} s`,
          boot.taint === undefined ? '—' : mdText(`${boot.taint.value} ${boot.taint.flags}`),
        ],
      ],
    ),
    mdTable(
      ['module', 'from', 'loaded', 'unloaded', 'the kernel said'],
      boot.modules.map((m) => [
        mdCode(m.name),
        m.origin === 'image' ? "the image's (modprobe)" : 'built against the headers (insmod)',
        m.loaded ? '✅' : '❌',
        m.unloaded === undefined ? '—' : m.unloaded ? '✅' : '❌',
        mdText(m.kernelSays.join(' / ') || '—'),
      ]),
    ),
    boot.failures.length === 0 ? undefined : mdBlock(boot.failures.join('\n')),
  ]).trimEnd();
}

export function smokeMarkdown(
  facts: { release: string; arch: string; compiler?: KernelCompiler | undefined },
  result: SmokeResult,
): string {
  return mdDocument([
    `### kpkg smoke: ${result.ok ? '✅ passed' : `❌ FAILED at "${mdText(result.failedStep ?? '?')}"`}`,
    mdTable(
      ['release', 'target', 'installer', 'headers tree', 'module vermagic'],
      [
        [
          mdText(facts.release),
          `${mdText(facts.arch)} (emulated)${facts.compiler === undefined ? '' : `, ${facts.compiler.kind} ${facts.compiler.major}${facts.compiler.llvm ? ' (LLVM)' : ''}`}`,
          mdText(result.installer ?? ''),
          mdCode(result.buildTree ?? `/lib/modules/${facts.release}/build`),
          result.vermagic === undefined ? '—' : mdCode(result.vermagic),
        ],
      ],
    ),
    result.dkms === undefined
      ? undefined
      : mdTable(
          ['DKMS package', 'module', 'result', 'vermagic'],
          result.dkms.map((d) => [
            mdCode(d.package),
            mdText(`${d.module}/${d.version}`),
            d.ok ? (d.builtBy === 'hook' ? "✅ built (headers' hook)" : '✅ built') : '❌ failed',
            d.vermagic === undefined ? '—' : mdCode(d.vermagic),
          ]),
        ),
    result.boot === undefined ? undefined : bootMarkdown(result.boot),
    mdTable(
      ['step', 'seconds'],
      result.timings.map((t) => [mdText(t.step), t.seconds.toFixed(1)]),
    ),
    result.ok || result.logTail === undefined ? undefined : mdBlock(result.logTail),
    scriptsMarkdown(result.scripts ?? []),
  ]);
}

/** The packages' scripts that failed or were denied something, as a list; nothing when there are none. */
function scriptsMarkdown(scripts: readonly ScriptNote[]): string | undefined {
  if (scripts.length === 0) return undefined;
  // describeScriptNote is printable already: only Markdown's characters are escaped.
  const items = scripts.map((s) => `- ${failsTheRun(s) ? '❌' : '⚠️'} ${mdPrintable(describeScriptNote(s))}`);
  return `**What the packages' scripts did that headers need not do**\n\n${items.join('\n')}`;
}

/** A script's note as a line of the text report (printable already): a denial or an accepted failure is a warning, a failure an error. */
function scriptLine(note: ScriptNote): string {
  return `${failsTheRun(note) ? 'error' : 'warning'}: ${describeScriptNote(note)}\n`;
}

/** The boot's lines of the text report. */
function bootLines(boot: BootReport): string[] {
  const loads = boot.modules.map((m) => `${m.name} (${m.origin === 'image' ? "image's, modprobe" : 'built, insmod'})`);
  return [
    `  boot: ${boot.kernelFile}${boot.decompressed ? ' (decompressed for qemu)' : ''} reached /init in ${boot.secondsToInit ?? '?'} s, whole boot ${boot.seconds} s`,
    `    ${boot.command}`,
    ...(boot.ranDepmod
      ? ['    (the packages ship no modules.dep, which their package manager makes: kpkg ran depmod first)']
      : []),
    `  loaded and unloaded: ${loads.join(', ') || 'nothing'}${boot.taint === undefined ? '' : `; taint ${boot.taint.value}${boot.taint.flags === '' ? '' : ` (${boot.taint.flags})`}`}`,
    ...boot.modules.flatMap((m) => m.kernelSays.map((line) => `    ${m.name}: ${line}`)),
  ];
}

/** The text report: what passed, each line made printable; or the failed step and its log's tail. */
export function smokeText(
  result: SmokeResult,
  facts: { program: string; built: string; release: string; arch: string },
): string {
  const scripts = (result.scripts ?? []).map(scriptLine).join('');
  if (!result.ok)
    return `${printable(`smoke FAILED at "${result.failedStep ?? '?'}":`)}\n${printableLines(result.logTail ?? '')}\n${scripts}`;
  const report = printableReport([
    `smoke passed: installed with ${facts.program}, ${facts.built} built against ${facts.release} (${result.buildTree ?? `/lib/modules/${facts.release}/build`}) on emulated ${facts.arch}`,
    `  vermagic: ${result.vermagic ?? ''}`,
    ...(result.dkms ?? []).map(
      (d) =>
        `  dkms: ${d.package} (${d.module}/${d.version}) built${d.builtBy === 'hook' ? " by the headers' header_postinst.d hook" : ''}, vermagic ${d.vermagic ?? ''}`,
    ),
    ...(result.boot === undefined ? [] : bootLines(result.boot)),
  ]);
  return `${report}${scripts}`;
}
