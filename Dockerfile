# syntax=docker/dockerfile:1
# Roster operator image.
#   docker build -t roster:dev .
#   docker run --read-only --tmpfs /tmp roster:dev --help
#
# Three stages: `build` compiles TypeScript with every dependency, `deps` installs the
# production dependencies alone, and the runtime stage copies the compiled operator and those
# dependencies onto a plain Node.js LTS base. Nothing from test/, localkube/ or devDependencies
# reaches the runtime image.

ARG NODE_IMAGE=node:24.21.0-alpine

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY operator/src ./operator/src
COPY localkube/src ./localkube/src
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM ${NODE_IMAGE} AS runtime
# npm, npx, corepack and yarn are not needed to run the operator: drop them (smaller, fewer CVEs).
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx \
      /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*
WORKDIR /app
ENV NODE_ENV=production \
    HOME=/tmp \
    TMPDIR=/tmp
# package.json carries "type": "module", which the compiled ESM files need.
COPY package.json ./
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist/operator ./dist/operator
# A numeric, non-root user so Kubernetes can verify runAsNonRoot. The root filesystem may be
# read-only: the operator writes nothing outside /tmp (mount an emptyDir there).
USER 65532:65532
EXPOSE 8080
# node runs as PID 1 and the operator installs SIGTERM/SIGINT handlers (graceful shutdown:
# it releases its leader Lease and closes connections before exiting).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "dist/operator/src/main.js"]
