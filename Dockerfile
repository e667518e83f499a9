# syntax=docker/dockerfile:1
# Production image: Bun runtime + production dependencies from package-lock.json.
#   docker build -t fieldesk .
#   docker run -p 3000:3000 -v fieldesk-data:/data fieldesk
# BUN_VERSION follows the `bun` version pinned in package.json (tests run on it);
# `--build-arg BUN_VERSION=1` gives the newest 1.x instead.
ARG BUN_VERSION=1.4.5
ARG NODE_VERSION=20

# Stage 1: npm installs exactly what package-lock.json says (bun cannot read that lockfile).
# --ignore-scripts: the only production install script is the `bun` package's binary setup, and
# the `bun` npm package is not needed because the runtime image has its own bun. Our postinstall
# (copy-assets) runs in the runtime stage instead.
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && rm -rf node_modules/bun node_modules/@oven node_modules/.bin/bun node_modules/.bin/bunx \
  && npm cache clean --force

# Stage 2: runtime (Debian slim, same glibc family as stage 1, so native modules such as
# @node-rs/argon2 match).
FROM oven/bun:${BUN_VERSION}-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
  PORT=3000 \
  DATA_DIR=/data
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY scripts ./scripts
COPY db ./db
COPY src ./src
COPY public ./public
# Vendored browser libraries (public/vendor is not in the build context) and the data directory
# owned by the unprivileged `bun` user of the base image; the code itself stays root-owned.
RUN bun scripts/copy-assets.ts \
  && mkdir -p /data \
  && chown bun:bun /data
USER bun
VOLUME /data
EXPOSE 3000
# /ready answers 200 only when the database is reachable. The first start creates the embedded
# database and the demo data, hence the long start period.
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["bun", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ready', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["bun", "src/server.ts"]
