// Image references (distribution/reference).
export {
  parseReference, parseDockerRef, parseAnyReference, withDefaultTag, withTag, withDigest, trimNamed, isValidTag,
  validateDigest, isSha256Digest, DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, DEFAULT_TAG,
  type ImageReference, type AnyReference,
} from "./reference/index.js";

// Dockerfile parsing (BuildKit's parser and shell lexer).
export { parseDockerfile, dumpAst, chompHeredocContent, KNOWN_INSTRUCTIONS, type ParsedDockerfile, type Instruction, type Heredoc } from "./dockerfile/parser.js";
export { ShellLex, referencedVariables, type Env, type LexOptions, type ProcessResult } from "./dockerfile/lex.js";

// Layers and the union filesystem.
export {
  WHITEOUT, WHITEOUT_PREFIX, OPAQUE_WHITEOUT, textFile, opaqueFile, dirEntry, symlinkEntry, formatMode,
  createLayer, encodeChanges, layerTarNames, EMPTY_LAYER_DIGEST,
  UnionFS, lookup, lookupIn, listDirIn, flatten, copyUpCostUs, COPY_UP_BASE_US,
  type FsEntry, type FileEntry, type DirEntry, type SymlinkEntry, type WhiteoutEntry, type PresentEntry, type EntryMeta,
  type Layer, type WriteResult,
} from "./layers/index.js";

// Images and the local image store.
export {
  createImage, emptyConfig, effectiveCommand, envLookup, envSet, envMap, DEFAULT_LINUX_SHELL, DEFAULT_WINDOWS_SHELL,
  type Image, type ImageConfig, type HistoryEntry, type HealthConfig, type ImageOs, type ImageSpec,
} from "./image/image.js";
export {
  ImageStore, formatTable, noSuchImageName,
  type ImageRow, type ImageUser, type HistoryRow, type ImageUsage, type DiskUsage, type CacheRecord, type ImageStoreSnapshot,
} from "./image/store.js";
export { humanSize, bytesSize, humanDuration, since } from "./image/format.js";
export { inspectImage, type ImageInspect, type InspectConfig } from "./image/inspect.js";
export {
  filterImages, imageFormatContext, pathMatch, IMAGE_FORMAT_HEADERS, type FilterOptions, type ImageFormatContext,
} from "./image/filter.js";
export { formatCreatedRfc3339, formatGoTime, VIRTUAL_EPOCH_UNIX_SECONDS, GO_ZERO_TIME } from "./util/time.js";

// Building.
export { build, BuildError, type BuildOptions, type BuildResult, type BuildStep } from "./build/builder.js";
export type { BuildFailureDetail } from "./build/types.js";
export { formatBuildFailure, dockerfileExcerpt } from "./build/failure.js";
export { splitProgress, logTimestamp, type ProgressBlock } from "./build/progress.js";
export { figlet, FIGLET_FONTS } from "./build/commands/figlet.js";
export { aptRelease } from "./build/commands/packages.js";
export { LEGACY_BUILDER_NOTICE, contextTarSize } from "./build/classic.js";
export { compileDockerfile, type CompiledDockerfile, type Stage, type Command } from "./build/instructions.js";
export { createContext, parseDockerignore, selectFromContext, type BuildContext, type ContextInput, type ContextFileSpec, type ContextFile } from "./build/context.js";
export { findPackage, lookupPackage, packageName, type PackageInfo, type PackageManager } from "./build/packages.js";
export { runShellForm, runExecForm, runcStartFailure, RUN_STARTUP_US, RUN_TOOL_NAMES, type RunEnv, type RunResult } from "./build/run.js";
export { interpretRunStep, type RunStepExecutor, type RunStepRequest } from "./build/run-step.js";

// Registries and the base-image catalogue.
export { Registry, RegistryHub, type Manifest, type TransferResult, type RegistryOptions } from "./registry/registry.js";
export {
  catalogue, catalogueRepositories, catalogueTags, catalogueHint, isKnownOfficialImage, DEFAULT_PATH, type CatalogueImage,
} from "./registry/catalogue.js";
export { ImageNotFoundError, IMAGE_NOT_FOUND, NOT_IN_CATALOGUE, type MissingReason } from "./registry/errors.js";

export { sha256Digest, shortId, cacheKeyDigest } from "./util/hash.js";
export { CowMap } from "./util/cow-map.js";
