// BuildKit's frontend/dockerfile/parser/testfiles/docker/Dockerfile (Docker's own 2014 Dockerfile).
export const DOCKER_DOCKERFILE = `# This file describes the standard way to build Docker, using docker
#
# Usage:
#
# # Assemble the full dev environment. This is slow the first time.
# docker build -t docker .
#

FROM\tubuntu:14.04
LABEL\tmaintainer\tTianon Gravi <admwiggin@gmail.com> (@tianon)

# Packaged dependencies
RUN\tapt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -yq \\
\tapt-utils \\
\taufs-tools \\
\tautomake \\
\ts3cmd=1.1.0* \\
\t--no-install-recommends

# Install Go
RUN\tcurl -sSL https://golang.org/dl/go1.3.src.tar.gz | tar -v -C /usr/local -xz
ENV\tPATH\t/usr/local/go/bin:$PATH
ENV\tGOPATH\t/go:/go/src/github.com/docker/docker/vendor

# Compile Go for cross compilation
ENV\tDOCKER_CROSSPLATFORMS\t\\
\tlinux/386 linux/arm \\
\tdarwin/amd64 darwin/386 \\
\tfreebsd/amd64 freebsd/386 freebsd/arm
# (set an explicit GOARM of 5 for maximum compatibility)
ENV\tGOARM\t5
RUN\tcd /usr/local/go/src && bash -xc 'for platform in $DOCKER_CROSSPLATFORMS; do GOOS=\${platform%/*} GOARCH=\${platform##*/} ./make.bash --no-clean 2>&1; done'

# Setup s3cmd config
RUN\t/bin/echo -e '[default]\\naccess_key=$AWS_ACCESS_KEY\\nsecret_key=$AWS_SECRET_KEY' > /.s3cfg

VOLUME\t/var/lib/docker
WORKDIR\t/go/src/github.com/docker/docker
ENV\tDOCKER_BUILDTAGS\tapparmor selinux

# Wrap all commands in the "docker-in-docker" script to allow nested containers
ENTRYPOINT\t["hack/dind"]

# Upload docker source
COPY\t.\t/go/src/github.com/docker/docker
`;

/** The AST dump from testfiles/docker/result, ENV rows with BuildKit's current separator node. */
export const DOCKER_RESULT: [string, string[]][] = [
  ["from", ["ubuntu:14.04"]],
  ["label", ["maintainer", "Tianon Gravi <admwiggin@gmail.com> (@tianon)", ""]],
  ["run", ["apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -yq \tapt-utils \taufs-tools \tautomake \ts3cmd=1.1.0* \t--no-install-recommends"]],
  ["run", ["curl -sSL https://golang.org/dl/go1.3.src.tar.gz | tar -v -C /usr/local -xz"]],
  ["env", ["PATH", "/usr/local/go/bin:$PATH", ""]],
  ["env", ["GOPATH", "/go:/go/src/github.com/docker/docker/vendor", ""]],
  ["env", ["DOCKER_CROSSPLATFORMS", "linux/386 linux/arm \tdarwin/amd64 darwin/386 \tfreebsd/amd64 freebsd/386 freebsd/arm", ""]],
  ["env", ["GOARM", "5", ""]],
  ["run", ["cd /usr/local/go/src && bash -xc 'for platform in $DOCKER_CROSSPLATFORMS; do GOOS=${platform%/*} GOARCH=${platform##*/} ./make.bash --no-clean 2>&1; done'"]],
  ["run", ["/bin/echo -e '[default]\\naccess_key=$AWS_ACCESS_KEY\\nsecret_key=$AWS_SECRET_KEY' > /.s3cfg"]],
  ["volume", ["/var/lib/docker"]],
  ["workdir", ["/go/src/github.com/docker/docker"]],
  ["env", ["DOCKER_BUILDTAGS", "apparmor selinux", ""]],
  ["entrypoint", ["hack/dind"]],
  ["copy", [".", "/go/src/github.com/docker/docker"]],
];
