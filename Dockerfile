# syntax=docker/dockerfile:1
# DrainPro Ops. Build: `docker build -t drainpro-ops .`; run: compose.yaml, or README "Run in production".
# test/deploy/image.test.ts replays these steps (Docker cannot run on our machines): keep them plain.

# Build stage: every dependency, compile to dist/, then drop the dev dependencies.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# Run stage: the compiled bot (dist/ holds its migrations and assets) and its production dependencies.
FROM node:24-bookworm-slim
# MALLOC_ARENA_MAX: glibc's malloc arenas, two instead of up to 8 per core (src/production-env.ts).
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded database (when DATABASE_URL is unset) lives in DATA_DIR: a volume owned by the
# unprivileged user the bot runs as.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1, so `docker stop`'s SIGTERM reaches the bot: it drains and exits within 10 s.
ENTRYPOINT ["node", "dist/main.js"]
