export {
  parseReference, parseDockerRef, parseAnyReference, withDefaultTag, withTag, withDigest, trimNamed, isValidTag,
  DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, DEFAULT_TAG, REPOSITORY_NAME_TOTAL_LENGTH_MAX,
  type ImageReference, type AnyReference,
} from "./reference.js";
export { validateDigest, isSha256Digest } from "./digest.js";
