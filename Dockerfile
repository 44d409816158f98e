# Image for the API and the worker (see docker-compose.yml).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends \
      python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && node dist/cli/main.js vectors && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The review page is served as written, with no build step.
COPY --from=build /app/src/review/page ./src/review/page
COPY --from=build /app/.cache ./.cache
COPY package.json ./
COPY migrations ./migrations
COPY models ./models
COPY examples ./examples
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
CMD ["node", "dist/cli/main.js", "serve"]
