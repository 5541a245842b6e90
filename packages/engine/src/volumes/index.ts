// Volumes, mounts and plugins of one engine (issue #10). See README.md for the contract.
export { type Volume, type VolumeTable, type Plugin, type PluginPrivilege, type PluginTable, NO_VOLUMES, NO_PLUGINS } from "./state.js";
export { FilterArgs } from "./filters.js";
export { parseGoDuration, parseTimestamp, formatRfc3339, formatRfc3339NanoFixed, unixToVirtual, virtualToUnixNanos, virtualToUnixSeconds } from "./time.js";
export { ReadOnlyError, volumeWriteCostUs, layerWriteCostUs, treeSize, isEmptyDir } from "./fs.js";
export {
  LOCAL_DRIVER, ANONYMOUS_LABEL, VOLUMES_ROOT, RESTRICTED_NAME_CHARS, VOLUME_LIST_FILTERS, VolumeError,
  volumeUsers, volumeLinks, localMountpoint, getVolume, requireVolume, anonymousVolumeName, createVolume, setVolume,
  removeVolume, inspectVolume, listVolumes, pruneVolumes, naturalLess, parseGoBool,
  volumeData, withVolumeData, ensureVolume, readVolumeFile, writeVolumeFile, listVolumeDir, localVolumesUsage,
  type VolumeEngine, type CreateVolumeRequest, type PruneResult,
} from "./volumes.js";
export {
  MountSpecError, MountError, parseVolumeFlag, parseMountRaw, parseMountFlag, parseTmpfsFlag, checkBindSource, parseVolumesFrom,
  checkDuplicateMounts, assertWritable, recordMounts, recordUnmounts, ramInBytes,
  type MountSpec, type MountedPath,
} from "./mounts.js";
export {
  PLUGIN_CATALOGUE, pluginName, pluginReference, pluginPrivileges, catalogPlugin, lookupRemotePlugin, findPlugin,
  pluginRefCount, newPlugin, installPlugin, enablePlugin, disablePlugin, removePlugin, setPluginSettings, inspectPlugin,
  PLUGIN_LIST_FILTERS, pluginCapabilities, listPlugins, applyPluginSettings,
  type CatalogPlugin, type PluginConfigJson,
} from "./plugins.js";
export {
  pruneImages, pruneBuildCache, buildCacheEntries, cacheRecordId, untilFilter,
  type ContainerUsage, type ImagePruneResult, type BuildCacheEntry, type BuildCachePruneResult,
} from "./system.js";
