# routetrace service image: `serve` against the cluster it runs in (in-cluster service account) or any
# kubeconfig mounted into the container. The history database lives on the /data volume.
#
# Build stage: full install (dev dependencies are needed to generate the Prisma client and compile),
# then drop dev dependencies. better-sqlite3 compiles its native addon here when no prebuilt binary fits;
# pg-native (the optional PostgreSQL binding, `--database postgresql://…`) compiles against libpq-dev.
FROM node:24-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ libpq-dev \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json codegen.yml schema.graphql ./
COPY prisma ./prisma
COPY src ./src
COPY ui ./ui
COPY bin ./bin
# Only dev dependencies are pruned: pg-native is an optional dependency the image keeps (PostgreSQL
# histories); the Prisma CLI and TypeScript, optional peers of @prisma/client, stay with it (unused).
RUN npm run build && npm prune --omit=dev

# Run stage: production dependencies and compiled code only, as the unprivileged `node` user.
FROM node:24-bookworm-slim
# libpq: the client library pg-native loads for a PostgreSQL history.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    ROUTETRACE_DB=/data/routetrace.db \
    ROUTETRACE_LISTEN=0.0.0.0:8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/bin ./bin
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/schema.graphql ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/routetrace.js"]
CMD ["serve"]
