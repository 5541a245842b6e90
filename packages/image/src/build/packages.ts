import { own, textHash32 } from "../util/hash.js";

/**
 * A small simulated package index per package manager: name → version, installed size (bytes,
 * dependencies included) and the binaries it provides. Names not listed still install, with a
 * size and version derived from the name, so any Dockerfile runs.
 */
export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly size: number;
  readonly deps: readonly string[];
  readonly bins: readonly string[];
}

export type PackageManager = "apk" | "apt" | "pip" | "npm";

const KB = 1024;
const MB = 1024 * 1024;
type Row = [version: string, size: number, deps?: string[], bins?: string[]];

const APK: Record<string, Row> = {
  curl: ["8.9.1-r1", 1.4 * MB, ["ca-certificates", "libcurl", "nghttp2-libs"], ["curl"]],
  wget: ["1.24.5-r0", 1.1 * MB, [], ["wget"]],
  bash: ["5.2.26-r0", 2.4 * MB, ["readline"], ["bash"]],
  git: ["2.45.2-r0", 16 * MB, ["pcre2", "libexpat"], ["git"]],
  "ca-certificates": ["20240705-r0", 700 * KB],
  openssl: ["3.3.2-r0", 1.6 * MB, [], ["openssl"]],
  python3: ["3.12.7-r0", 48 * MB, ["libffi", "sqlite-libs", "xz-libs"], ["python3", "python"]],
  "py3-pip": ["24.0-r2", 11 * MB, ["python3"], ["pip", "pip3"]],
  nodejs: ["20.15.1-r0", 46 * MB, ["icu-libs", "libstdc++"], ["node"]],
  npm: ["10.8.0-r0", 9.6 * MB, ["nodejs"], ["npm", "npx"]],
  // The course's C example installs alpine-sdk: build-base plus abuild and git.
  "alpine-sdk": ["1.0-r1", 12 * MB, ["build-base", "git", "abuild"], ["abuild"]],
  abuild: ["3.13.0-r3", 600 * KB, [], ["abuild", "abuild-keygen"]],
  "build-base": ["0.5-r3", 210 * MB, ["gcc", "g++", "make", "musl-dev", "binutils"], ["gcc", "g++", "cc", "make", "ld"]],
  gcc: ["13.2.1_git20240309-r0", 130 * MB, ["binutils", "musl-dev"], ["gcc", "cc"]],
  make: ["4.4.1-r2", 300 * KB, [], ["make"]],
  go: ["1.22.8-r0", 240 * MB, [], ["go", "gofmt"]],
  openjdk17: ["17.0.12_p7-r0", 270 * MB, [], ["java", "javac"]],
  nginx: ["1.26.2-r0", 1.3 * MB, ["pcre"], ["nginx"]],
  "postgresql-client": ["16.4-r0", 9 * MB, ["libpq"], ["psql", "pg_dump"]],
  tzdata: ["2024b-r0", 3.2 * MB],
  jq: ["1.7.1-r0", 1 * MB, ["oniguruma"], ["jq"]],
  vim: ["9.1.0414-r0", 33 * MB, ["xxd"], ["vim", "vi"]],
  tini: ["0.19.0-r3", 40 * KB, [], ["tini"]],
  openssh: ["9.7_p1-r4", 5 * MB, [], ["ssh", "sshd"]],
  redis: ["7.2.5-r0", 5.5 * MB, [], ["redis-server", "redis-cli"]],
};

const APT: Record<string, Row> = {
  curl: ["7.88.1-10+deb12u7", 3.9 * MB, ["libcurl4", "ca-certificates"], ["curl"]],
  wget: ["1.21.3-1+b2", 3.6 * MB, ["libpsl5"], ["wget"]],
  git: ["1:2.39.5-0+deb12u1", 42 * MB, ["perl", "liberror-perl"], ["git"]],
  "ca-certificates": ["20230311", 420 * KB],
  python3: ["3.11.2-1+b1", 30 * MB, ["python3.11", "libpython3.11-stdlib"], ["python3"]],
  "python3-pip": ["23.0.1+dfsg-1", 16 * MB, ["python3"], ["pip", "pip3"]],
  nodejs: ["18.19.0+dfsg-6~deb12u2", 55 * MB, ["libnode108"], ["node"]],
  npm: ["9.2.0~ds1-1", 28 * MB, ["nodejs"], ["npm", "npx"]],
  "build-essential": ["12.9", 250 * MB, ["gcc", "g++", "make", "libc6-dev", "dpkg-dev"], ["gcc", "g++", "cc", "make", "ld"]],
  gcc: ["4:12.2.0-3", 120 * MB, ["cpp", "libgcc-12-dev"], ["gcc", "cc"]],
  make: ["4.3-4.1", 1.5 * MB, [], ["make"]],
  "golang-go": ["2:1.19~1", 260 * MB, [], ["go", "gofmt"]],
  "openjdk-17-jdk-headless": ["17.0.13+11-2~deb12u1", 250 * MB, [], ["java", "javac"]],
  nginx: ["1.22.1-9", 2.1 * MB, ["nginx-common"], ["nginx"]],
  vim: ["2:9.0.1378-2", 37 * MB, ["vim-runtime"], ["vim", "vi"]],
  "postgresql-client": ["15+248", 12 * MB, ["libpq5"], ["psql", "pg_dump"]],
  "apt-utils": ["2.6.1", 900 * KB],
  "iputils-ping": ["3:20221126-1", 300 * KB, [], ["ping"]],
  procps: ["2:4.0.2-3", 2.3 * MB, [], ["ps", "top"]],
  tini: ["0.19.0-1", 800 * KB, [], ["tini"]],
  jq: ["1.6-2.1", 1.2 * MB, ["libjq1"], ["jq"]],
  unzip: ["6.0-28", 400 * KB, [], ["unzip"]],
};

const PIP: Record<string, Row> = {
  flask: ["3.0.3", 1.2 * MB, ["werkzeug", "jinja2", "itsdangerous", "click", "blinker"], ["flask"]],
  django: ["5.1.2", 40 * MB, ["asgiref", "sqlparse"], ["django-admin"]],
  requests: ["2.32.3", 1.1 * MB, ["urllib3", "certifi", "idna", "charset-normalizer"]],
  numpy: ["2.1.2", 62 * MB, [], ["f2py"]],
  pandas: ["2.2.3", 70 * MB, ["numpy", "python-dateutil", "pytz", "tzdata"]],
  gunicorn: ["23.0.0", 500 * KB, ["packaging"], ["gunicorn"]],
  fastapi: ["0.115.2", 3 * MB, ["starlette", "pydantic"]],
  uvicorn: ["0.32.0", 700 * KB, ["h11", "click"], ["uvicorn"]],
  redis: ["5.1.1", 1.1 * MB],
  pytest: ["8.3.3", 3 * MB, ["pluggy", "iniconfig"], ["pytest"]],
};

const NPM: Record<string, Row> = {
  express: ["4.21.1", 2.2 * MB, ["body-parser", "cookie", "debug"]],
  react: ["18.3.1", 320 * KB, ["loose-envify"]],
  typescript: ["5.6.3", 22 * MB, [], ["tsc"]],
  lodash: ["4.17.21", 1.4 * MB],
  redis: ["4.7.0", 800 * KB],
  nodemon: ["3.1.7", 3.5 * MB, [], ["nodemon"]],
  webpack: ["5.95.0", 28 * MB, [], ["webpack"]],
};

const INDEX: Record<PackageManager, Record<string, Row>> = { apk: APK, apt: APT, pip: PIP, npm: NPM };

/** Looks a package up; unknown names get a deterministic synthetic entry. */
export function findPackage(manager: PackageManager, spec: string): PackageInfo {
  // Strip version pins: "curl=7.88*", "flask==3.0.3", "express@4".
  const name = spec.replace(/^@?([^=<>@~!]+).*$/, "$1").toLowerCase();
  const row = own(INDEX[manager], name);
  if (row) {
    const [version, size, deps = [], bins = []] = row;
    return { name, version, size: Math.round(size), deps, bins };
  }
  const h = textHash32(`${manager}:${name}`);
  return { name, version: `${1 + (h % 5)}.${(h >>> 4) % 20}.${(h >>> 9) % 10}`, size: 100 * KB + (h % (5 * MB)), deps: [], bins: [] };
}

/**
 * What installing `names` really installs: every package not yet installed in the dependency
 * closure, each dependency before the packages that need it (the order apk and apt print).
 */
export function resolveInstall(manager: PackageManager, names: readonly string[], isInstalled: (name: string) => boolean): PackageInfo[] {
  const out: PackageInfo[] = [];
  const seen = new Set<string>();
  const visit = (spec: string): void => {
    const p = findPackage(manager, spec);
    if (seen.has(p.name) || isInstalled(p.name)) return;
    seen.add(p.name);
    for (const d of p.deps) visit(d);
    out.push(p);
  };
  for (const n of names) visit(n);
  return out;
}
