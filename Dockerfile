# Not built or run in this project's CI (no container engine there): kept minimal on purpose.
# docker build -t zoom-sessions-gateway . && docker run -p 4000:4000 --env-file .env zoom-sessions-gateway
# Shutdown takes up to SHUTDOWN_GRACE_MS (40 s by default in production): stop with `docker stop -t 45`.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY dashboard/package.json ./dashboard/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY dashboard ./dashboard
RUN npm run build

FROM node:20-bookworm-slim
# --env-file overrides these: .env.example leaves NODE_ENV and HOST commented out so a copy of it keeps them.
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
COPY dashboard/package.json ./dashboard/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# Off in production unless DASHBOARD=true; the built files are there for when it is.
COPY --from=build /app/dashboard/dist ./dashboard/dist
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
