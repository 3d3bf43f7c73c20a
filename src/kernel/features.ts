import { configValue, enabledWithPrefix, isEnabled, type KconfigValues } from './kconfig.js';

/** The configuration options that change what a kernel package must contain. */
export interface PackagingFeatures {
  modules: boolean;
  modversions: boolean;
  moduleSig: { enabled: boolean; all: boolean; hash: string | undefined; key: string | undefined };
  /** objtool runs during module builds, so the headers must ship it for the target. */
  objtool: boolean;
  debugInfo: boolean;
  /** resolve_btfids and pahole run during module builds. */
  debugInfoBtfModules: boolean;
  /** Symbol versions from DWARF (6.14+): scripts/gendwarfksyms, linking libdw, runs during module builds. */
  gendwarfksyms: boolean;
  /** Enabled GCC plugins, e.g. ["LATENT_ENTROPY"]; empty when CONFIG_GCC_PLUGINS is off. */
  gccPlugins: string[];
  /** Structure layout randomisation: its seed must ship with the headers for modules to match. */
  randstruct: 'full' | 'performance' | false;
}

export function packagingFeatures(config: KconfigValues): PackagingFeatures {
  return {
    modules: isEnabled(config, 'MODULES'),
    modversions: isEnabled(config, 'MODVERSIONS'),
    moduleSig: {
      enabled: isEnabled(config, 'MODULE_SIG'),
      all: isEnabled(config, 'MODULE_SIG_ALL'),
      hash: configValue(config, 'MODULE_SIG_HASH'),
      key: configValue(config, 'MODULE_SIG_KEY'),
    },
    // CONFIG_OBJTOOL exists since 5.19; before it the top Makefile built objtool for
    // CONFIG_STACK_VALIDATION (and x86's ORC unwinder, which selects it).
    objtool: isEnabled(config, 'OBJTOOL') || isEnabled(config, 'STACK_VALIDATION'),
    debugInfo: isEnabled(config, 'DEBUG_INFO'),
    debugInfoBtfModules: isEnabled(config, 'DEBUG_INFO_BTF_MODULES'),
    gendwarfksyms: isEnabled(config, 'GENDWARFKSYMS'),
    gccPlugins: isEnabled(config, 'GCC_PLUGINS')
      ? enabledWithPrefix(config, 'GCC_PLUGIN_').map((p) => p.slice('GCC_PLUGIN_'.length))
      : [],
    randstruct: randstructMode(config),
  };
}

/**
 * 5.19 turned the randstruct GCC plugin into CONFIG_RANDSTRUCT_{FULL,PERFORMANCE} (security/Kconfig.hardening),
 * which clang supports too; older kernels only have CONFIG_GCC_PLUGIN_RANDSTRUCT(_PERFORMANCE).
 */
function randstructMode(config: KconfigValues): PackagingFeatures['randstruct'] {
  if (isEnabled(config, 'RANDSTRUCT_PERFORMANCE') || isEnabled(config, 'GCC_PLUGIN_RANDSTRUCT_PERFORMANCE'))
    return 'performance';
  if (isEnabled(config, 'RANDSTRUCT_FULL') || isEnabled(config, 'GCC_PLUGIN_RANDSTRUCT')) return 'full';
  return false;
}
