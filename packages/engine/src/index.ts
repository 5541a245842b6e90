export {
  parseReference, parseDockerRef, parseAnyReference, withDefaultTag, withTag, withDigest, trimNamed, isValidTag,
  validateDigest, isSha256Digest, DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX, DEFAULT_TAG,
  type ImageReference, type AnyReference,
} from "./reference/index.js";
