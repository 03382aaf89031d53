# Steward: one image, two roles (STEWARD_ROLE=web | worker | all). Needs MONGODB_URI (MongoDB 6+).
# Node 22 LTS: Node 20 reached end of life on 30 April 2026 (package.json still allows >= 20.19
# for development machines that have not moved yet).
# Build stage: full dependencies, TypeScript compiled to dist/.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json

# Runtime stage: production dependencies only, non-root.
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    PLAYBOOKS_DIR=/app/playbooks
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY playbooks ./playbooks
USER node
EXPOSE 3000
# Slim images have no curl; node's fetch does the probe. Workers serve /healthz too.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/main.js"]
