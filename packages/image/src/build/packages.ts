import { own, textHash32 } from "../util/hash.js";

/**
 * A simulated package index per package manager: name → version, installed size (bytes,
 * dependencies included) and the binaries it provides. The curated rows carry real versions and
 * sizes; the name lists below (real package names of each distribution or of PyPI / npm) install
 * with a size and version derived from the name. Any other name is not in the index: apk, apt-get,
 * yum and pip then fail as the real tools do (`lookupPackage` returns undefined).
 */
export interface PackageInfo {
  readonly name: string;
  readonly version: string;
  readonly size: number;
  readonly deps: readonly string[];
  readonly bins: readonly string[];
}

export type PackageManager = "apk" | "apt" | "pip" | "npm" | "yum";

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
  // What the course's exercises and the common tutorials install (Alpine 3.20's main/community).
  figlet: ["2.2.5-r3", 1.3 * MB, [], ["figlet", "chkfont", "figlist", "showfigfonts"]],
  nano: ["8.0-r0", 2.6 * MB, ["libncursesw"], ["nano"]],
  "bind-tools": ["9.18.31-r0", 1.2 * MB, ["bind-libs"], ["dig", "nslookup", "host"]],
  iputils: ["20240117-r0", 300 * KB, [], ["ping", "tracepath", "arping"]],
  "net-tools": ["2.10-r3", 600 * KB, [], ["ifconfig", "netstat", "route", "arp"]],
  unzip: ["6.0-r14", 400 * KB, [], ["unzip"]],
  zip: ["3.0-r12", 500 * KB, [], ["zip"]],
  htop: ["3.3.0-r0", 500 * KB, ["libncursesw"], ["htop"]],
  apache2: ["2.4.62-r0", 5.1 * MB, ["apr", "apr-util", "pcre2"], ["httpd"]],
  openjdk8: ["8.422.05-r0", 200 * MB, [], ["java", "javac"]],
  openjdk11: ["11.0.24_p8-r0", 260 * MB, [], ["java", "javac"]],
  "stress-ng": ["0.17.08-r0", 4.7 * MB, [], ["stress-ng"]],
  sudo: ["1.9.15_p5-r0", 2.2 * MB, [], ["sudo"]],
  less: ["643-r2", 300 * KB, [], ["less"]],
  tree: ["2.1.1-r0", 100 * KB, [], ["tree"]],
  libncursesw: ["6.4_p20240420-r1", 400 * KB],
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
  // What the course's exercises ("Building images interactively / with a Dockerfile": figlet,
  // wget, curl, vim, git, python, build-essential, nginx…) and the common tutorials install.
  // Versions and installed sizes of Debian 12 (bookworm), the default of debian and close to
  // Ubuntu's (apt-cache show <name>: Version, Installed-Size).
  figlet: ["2.2.5-3+b1", 770 * KB, [], ["figlet", "chkfont", "figlist", "showfigfonts"]],
  cowsay: ["3.03+dfsg2-8", 90 * KB, ["libtext-charwidth-perl"], ["cowsay", "cowthink"]],
  "fortune-mod": ["1:1.99.1-7.3", 130 * KB, ["librecode0"], ["fortune"]],
  nano: ["7.2-1+deb12u1", 2.8 * MB, ["libncursesw6"], ["nano", "rnano"]],
  "vim-tiny": ["2:9.0.1378-2", 1.8 * MB, ["vim-common"], ["vi", "vim.tiny"]],
  "python3-venv": ["3.11.2-1+b1", 20 * KB, ["python3.11-venv"]],
  "python3-dev": ["3.11.2-1+b1", 40 * MB, ["libpython3-dev", "python3.11-dev"]],
  python: ["2.7.17-2ubuntu4", 600 * KB, ["python2.7"], ["python", "python2"]],
  "python-pip": ["9.0.1-2.3~ubuntu1.18.04.8", 1.1 * MB, ["python"], ["pip", "pip2"]],
  "g++": ["4:12.2.0-3", 80 * MB, ["gcc", "libstdc++-12-dev"], ["g++", "c++"]],
  apache2: ["2.4.62-1~deb12u2", 570 * KB, ["apache2-bin", "apache2-data", "apache2-utils"], ["apache2ctl", "apachectl", "apache2"]],
  "apache2-bin": ["2.4.62-1~deb12u2", 5.9 * MB, ["libapr1", "libaprutil1"]],
  "openjdk-17-jdk": ["17.0.13+11-2~deb12u1", 270 * MB, ["openjdk-17-jre", "openjdk-17-jdk-headless"], ["java", "javac", "jar"]],
  "openjdk-17-jre": ["17.0.13+11-2~deb12u1", 215 * MB, ["openjdk-17-jre-headless"], ["java"]],
  "openjdk-17-jre-headless": ["17.0.13+11-2~deb12u1", 210 * MB, [], ["java"]],
  "openjdk-11-jdk": ["11.0.25+9-1ubuntu1~22.04", 260 * MB, ["openjdk-11-jre"], ["java", "javac", "jar"]],
  "openjdk-11-jre": ["11.0.25+9-1ubuntu1~22.04", 200 * MB, [], ["java"]],
  "openjdk-8-jdk": ["8u432-ga~us1-0ubuntu2~22.04", 250 * MB, ["openjdk-8-jre"], ["java", "javac", "jar"]],
  "openjdk-8-jre": ["8u432-ga~us1-0ubuntu2~22.04", 180 * MB, [], ["java"]],
  "default-jdk": ["2:1.17-74", 10 * KB, ["openjdk-17-jdk"]],
  "default-jre": ["2:1.17-74", 10 * KB, ["openjdk-17-jre"]],
  maven: ["3.8.7-1", 10 * MB, ["default-jre"], ["mvn"]],
  "net-tools": ["2.10-0.1", 1 * MB, [], ["ifconfig", "netstat", "route", "arp"]],
  iproute2: ["6.1.0-3", 3.5 * MB, [], ["ip", "ss", "tc"]],
  dnsutils: ["1:9.18.28-1~deb12u2", 300 * KB, ["bind9-dnsutils"], ["dig", "nslookup", "nsupdate"]],
  "bind9-dnsutils": ["1:9.18.28-1~deb12u2", 1.1 * MB, ["bind9-libs"]],
  "netcat-openbsd": ["1.219-1", 100 * KB, [], ["nc", "netcat"]],
  telnet: ["0.17+2.4-2+deb12u1", 150 * KB, [], ["telnet"]],
  traceroute: ["1:2.1.2-1", 200 * KB, [], ["traceroute"]],
  "openssh-client": ["1:9.2p1-2+deb12u3", 5 * MB, [], ["ssh", "scp", "ssh-keygen"]],
  zip: ["3.0-13", 700 * KB, [], ["zip"]],
  less: ["590-2.1~deb12u2", 450 * KB, [], ["less"]],
  htop: ["3.2.2-2", 450 * KB, ["libncursesw6"], ["htop"]],
  tree: ["2.1.0-1", 120 * KB, [], ["tree"]],
  sudo: ["1.9.13p3-1+deb12u1", 6.5 * MB, [], ["sudo"]],
  stress: ["1.0.7-1", 60 * KB, [], ["stress"]],
  sqlite3: ["3.40.1-2+deb12u1", 1.8 * MB, [], ["sqlite3"]],
  gnupg: ["2.2.40-1.1", 1 * MB, ["dirmngr", "gpg"], ["gpg"]],
  "lsb-release": ["12.0-1", 60 * KB, [], ["lsb_release"]],
  "software-properties-common": ["0.99.30-4.1~deb12u1", 200 * KB, [], ["add-apt-repository"]],
  "redis-server": ["5:7.0.15-1~deb12u1", 200 * KB, ["redis-tools"], ["redis-server"]],
  "redis-tools": ["5:7.0.15-1~deb12u1", 6.6 * MB, [], ["redis-cli"]],
  "mariadb-client": ["1:10.11.6-0+deb12u1", 9 * MB, [], ["mariadb", "mysql"]],
  ruby: ["1:3.1", 40 * KB, ["ruby3.1"], ["ruby", "gem"]],
  php: ["2:8.2+93", 20 * KB, ["php8.2"], ["php"]],
  "libncursesw6": ["6.4-4", 400 * KB],
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

const YUM: Record<string, Row> = {
  curl: ["7.29.0-59.el7_9.2", 540 * KB, ["libcurl"], ["curl"]],
  wget: ["1.14-18.el7_6.1", 2 * MB, [], ["wget"]],
  git: ["1.8.3.1-25.el7_9", 23 * MB, ["perl-Git", "perl"], ["git"]],
  "epel-release": ["7-11", 24 * KB],
  httpd: ["2.4.6-99.el7.centos.1", 9.4 * MB, ["httpd-tools", "apr", "apr-util", "mailcap"], ["httpd", "apachectl"]],
  nginx: ["1.20.1-10.el7", 1.8 * MB, ["nginx-filesystem"], ["nginx"]],
  python3: ["3.6.8-21.el7_9", 39 * MB, ["python3-libs", "python3-pip", "python3-setuptools"], ["python3", "pip3"]],
  "python3-pip": ["9.0.3-8.el7", 8.6 * MB, [], ["pip3"]],
  gcc: ["4.8.5-44.el7", 39 * MB, ["cpp", "glibc-devel"], ["gcc", "cc"]],
  "gcc-c++": ["4.8.5-44.el7", 17 * MB, ["gcc", "libstdc++-devel"], ["g++"]],
  make: ["1:3.82-24.el7", 1.1 * MB, [], ["make"]],
  "java-1.8.0-openjdk": ["1:1.8.0.412.b08-1.el7_9", 130 * MB, ["java-1.8.0-openjdk-headless"], ["java"]],
  "java-11-openjdk": ["1:11.0.23.0.9-1.el7_9", 150 * MB, ["java-11-openjdk-headless"], ["java"]],
  vim: ["2:7.4.629-8.el7_9", 22 * MB, ["vim-common"], ["vim", "vi"]],
  "vim-enhanced": ["2:7.4.629-8.el7_9", 2.2 * MB, ["vim-common"], ["vim"]],
  "net-tools": ["2.0-0.25.20131004git.el7", 918 * KB, [], ["ifconfig", "netstat"]],
  "iproute": ["4.11.0-30.el7", 1.6 * MB, [], ["ip", "ss"]],
  "openssh-server": ["7.4p1-23.el7_9", 1 * MB, ["openssh"], ["sshd"]],
  unzip: ["6.0-24.el7_9", 373 * KB, [], ["unzip"]],
  which: ["2.20-7.el7", 75 * KB, [], ["which"]],
  sudo: ["1.8.23-10.el7_9.3", 3.6 * MB, [], ["sudo"]],
  tar: ["2:1.26-35.el7", 2.8 * MB, [], ["tar"]],
  "mariadb-server": ["1:5.5.68-1.el7", 58 * MB, ["mariadb"], ["mysqld"]],
  "postgresql-server": ["9.2.24-9.el7_9", 16 * MB, ["postgresql"], ["postgres", "initdb"]],
  // CentOS 7's base and updates repositories, and EPEL's (EPEL_ONLY below) for the tutorials' tools.
  figlet: ["2.2.5-9.el7", 200 * KB, [], ["figlet", "chkfont", "figlist", "showfigfonts"]],
  jq: ["1.6-2.el7", 400 * KB, ["oniguruma"], ["jq"]],
  htop: ["2.2.0-3.el7", 220 * KB, [], ["htop"]],
  nano: ["2.3.1-10.el7", 1.6 * MB, [], ["nano"]],
  "bind-utils": ["32:9.11.4-26.P2.el7_9.16", 600 * KB, ["bind-libs"], ["dig", "nslookup", "host"]],
  iputils: ["20160308-10.el7", 340 * KB, [], ["ping", "tracepath", "arping"]],
  zip: ["3.0-11.el7", 800 * KB, [], ["zip"]],
  "java-1.8.0-openjdk-devel": ["1:1.8.0.412.b08-1.el7_9", 40 * MB, ["java-1.8.0-openjdk"], ["javac", "jar"]],
};

/** yum: names only EPEL (Extra Packages for Enterprise Linux) has; `yum install epel-release` enables it. */
const EPEL_ONLY: ReadonlySet<string> = new Set(["figlet", "jq", "htop", "cowsay", "stress", "fortune-mod"]);
/** The repository file epel-release installs; yum sees EPEL's packages when it exists. */
export const EPEL_REPO_FILE = "/etc/yum.repos.d/epel.repo";

/** Whether yum can see `name` now: EPEL's packages need epel-release installed first. */
export function yumRepoHas(name: string, epelEnabled: boolean): boolean {
  return epelEnabled || !EPEL_ONLY.has(packageName(name));
}

/** Real package names installable with a derived size, per manager (beyond the curated rows). */
const NAMES: Record<PackageManager, string> = {
  apk: `alpine-baselayout apk-tools busybox musl musl-dev musl-utils libc-dev libc6-compat gcompat libstdc++ libgcc
    libcurl nghttp2-libs readline pcre pcre2 libexpat icu-libs libffi sqlite sqlite-libs xz xz-libs zlib zlib-dev
    openssl-dev libssl3 libcrypto3 linux-headers binutils g++ cmake autoconf automake libtool pkgconf pkgconfig
    python3-dev py3-setuptools py3-wheel py3-virtualenv ruby ruby-dev perl php php82 php83 lua5.4 nodejs-current yarn
    openjdk8 openjdk11 openjdk21 maven gradle rust cargo htop less nano file coreutils findutils grep sed gawk
    procps shadow sudo su-exec dumb-init ca-certificates-bundle libxml2 libxslt jpeg-dev libjpeg-turbo libpng freetype
    fontconfig ttf-dejavu imagemagick ffmpeg postgresql postgresql-dev postgresql16 mariadb mariadb-client
    mariadb-dev mysql-client redis memcached nginx-mod-http-headers-more haproxy supervisor openrc iptables iproute2
    bind-tools iputils net-tools busybox-extras netcat-openbsd socat rsync openssh-client openssh-server unzip zip
    bzip2 gzip tar patch diffutils gettext tini-static libsodium libpq libuv oniguruma xxd util-linux e2fsprogs
    docker docker-cli git-lfs gnupg libgit2 chromium`,
  apt: `apt-transport-https gnupg gnupg2 dirmngr lsb-release software-properties-common sudo less nano vim-tiny
    net-tools iproute2 dnsutils netcat-openbsd telnet openssh-client openssh-server rsync zip bzip2 xz-utils
    file patch locales tzdata libc6-dev libssl-dev zlib1g-dev libffi-dev libpq-dev libxml2-dev libxslt1-dev
    libjpeg-dev libpng-dev libsqlite3-dev libbz2-dev libreadline-dev libncurses5-dev pkg-config cmake autoconf
    automake libtool g++ cpp python python-dev python-pip python3-dev python3-venv python3-setuptools python3-wheel
    ruby ruby-dev perl php php-cli php-fpm php-mysql openjdk-8-jdk openjdk-8-jre openjdk-11-jdk openjdk-11-jre
    openjdk-11-jdk-headless openjdk-17-jre openjdk-17-jdk maven gradle default-jdk default-jre ant apache2
    apache2-utils mysql-server mysql-client mariadb-server mariadb-client postgresql postgresql-contrib redis-server
    redis-tools memcached supervisor cron htop sqlite3 imagemagick ffmpeg fonts-dejavu gettext-base dumb-init gosu
    libcurl4 libcurl4-openssl-dev liberror-perl libpsl5 nginx-common libjq1 libnode108 libpq5 vim-runtime
    python3.11 libpython3.11-stdlib cpp-12 libgcc-12-dev dpkg-dev xvfb firefox-esr chromium git-core mercurial
    subversion sq netbase uuid-dev tk-dev libbluetooth-dev openssl wget2 s3cmd aufs-tools lxc iptables
    docker.io software-properties-common influxdb ssh nodejs-legacy`,
  yum: `yum-utils device-mapper-persistent-data lvm2 openssl openssl-devel zlib-devel libffi-devel bzip2-devel
    readline-devel sqlite-devel ncurses-devel gcc-gfortran autoconf automake libtool patch file less nano
    bind-utils telnet nc rsync zip bzip2 xz tzdata python python-devel python-pip python2-pip python3-devel
    ruby ruby-devel perl php php-cli php-fpm php-mysql java-1.8.0-openjdk-devel java-11-openjdk-devel maven ant
    tomcat mod_ssl mariadb postgresql redis memcached supervisor cronie htop procps-ng iputils openssh
    openssh-clients initscripts systemd hostname passwd shadow-utils util-linux findutils gettext cmake
    libcurl httpd-tools apr apr-util mailcap nginx-filesystem python3-libs python3-setuptools cpp glibc-devel
    libstdc++-devel java-1.8.0-openjdk-headless java-11-openjdk-headless vim-common perl-Git createrepo
    deltarpm docker-ce docker-ce-cli containerd.io`,
  pip: `flask-cors flask-sqlalchemy sqlalchemy psycopg2 psycopg2-binary pymysql mysqlclient pymongo celery
    werkzeug jinja2 itsdangerous click blinker markupsafe asgiref sqlparse urllib3 certifi idna
    charset-normalizer python-dateutil pytz tzdata six packaging setuptools wheel pip virtualenv starlette
    pydantic h11 pluggy iniconfig boto3 botocore awscli pyyaml toml attrs scipy matplotlib scikit-learn
    tensorflow torch jupyter notebook ipython black flake8 mypy pylint coverage tox httpx aiohttp websockets
    gevent eventlet greenlet lxml beautifulsoup4 pillow cryptography pyjwt bcrypt passlib python-dotenv
    prometheus-client kafka-python pika elasticsearch docker kubernetes ansible fabric paramiko tornado
    bottle pyramid falcon marshmallow alembic waitress hypercorn rich typer tqdm loguru`,
  npm: "",
};

const NAME_SETS = new Map<PackageManager, ReadonlySet<string>>(
  (Object.keys(NAMES) as PackageManager[]).map((m) => [m, new Set(NAMES[m].split(/\s+/).filter((n) => n !== ""))]),
);

const INDEX: Record<PackageManager, Record<string, Row>> = { apk: APK, apt: APT, pip: PIP, npm: NPM, yum: YUM };

/** The package name of a spec, without version pins: "curl=7.88*", "flask==3.0.3", "express@4". */
export function packageName(spec: string): string {
  return spec.replace(/^@?([^=<>@~!\[]+).*$/, "$1").toLowerCase();
}

/**
 * Looks a package up in the simulated index: undefined when the name is not a package of that
 * manager (apk "no such package", apt "Unable to locate package", pip "No matching distribution").
 * npm's registry is open: every name is found.
 */
export function lookupPackage(manager: PackageManager, spec: string): PackageInfo | undefined {
  const name = packageName(spec);
  if (manager !== "npm" && own(INDEX[manager], name) === undefined && !NAME_SETS.get(manager)!.has(name)) {
    // Dependencies named by curated rows are real packages too.
    if (!dependencyNames(manager).has(name)) return undefined;
  }
  return findPackage(manager, spec);
}

const depNames = new Map<PackageManager, Set<string>>();
function dependencyNames(manager: PackageManager): Set<string> {
  let s = depNames.get(manager);
  if (!s) {
    s = new Set(Object.values(INDEX[manager]).flatMap(([, , deps = []]) => deps));
    depNames.set(manager, s);
  }
  return s;
}

/** Looks a package up; names outside the index get a deterministic synthetic entry (see lookupPackage). */
export function findPackage(manager: PackageManager, spec: string): PackageInfo {
  const name = packageName(spec);
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
