// @drydock/compose: compose files (YAML, interpolation, .env), the normalised project, and
// DockerCoins. See README.md.
export { interpolate, interpolateWithWarnings, unsetWarning, goQuote, InvalidTemplateError, MissingRequiredError, type Lookup } from "./interpolate.js";
export { parseDotenv, DotenvError } from "./dotenv.js";
export { ComposeError, INVALID_PROJECT } from "./errors.js";
export { parseYaml, pathText, composePath, type Raw, type RawMap, type Path, type ParsedYaml } from "./yaml.js";
export { validate, schemaMessage, PROJECT_SCHEMA, SERVICE_SCHEMA, type Schema, type SchemaError } from "./schema.js";
export {
  loadProject, startOrder, normalizeProjectName, invalidProjectName, resolvePath, shellSplit,
  type ComposeSource, type LoadOptions, type LoadResult,
} from "./load.js";
export {
  containerName, type Project, type Service, type ServicePort, type ServiceVolume, type ServiceNetwork, type ServiceDependency, type Healthcheck,
  type ProjectNetwork, type ProjectVolume,
} from "./model.js";
export { formatConfig, formatServices, projectDocument } from "./config.js";
export { DOCKERCOINS_COMPOSE, DOCKERCOINS_FILES } from "./dockercoins.js";
/** The Compose v2 release drydock speaks as (`docker compose version`, `docker version`/`info`'s plugin list, the version labels). */
export const COMPOSE_VERSION = "2.40.3";
/** The file names `docker compose` looks for in a directory, in its order (compose-go cli.DefaultFileNames). */
export const DEFAULT_COMPOSE_FILES: readonly string[] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
