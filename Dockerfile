# AgentLLM: YAML agents served on an OpenAI-compatible API.
# No build step: TypeScript runs through tsx, a runtime dependency, so one stage is enough.
FROM node:24-slim

# HOST=0.0.0.0 makes AGENTLLM_API_KEY required: without it serve refuses to start (AGENTLLM_ALLOW_NO_AUTH=true overrides).
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    AGENTLLM_DATA_DIR=/app/data

WORKDIR /app

# Dependencies first, so editing an agent or the source does not reinstall them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force

COPY bin/ bin/
COPY src/ src/
COPY schemas/ schemas/
COPY toolkits/ toolkits/
COPY agents/ agents/

# Sessions, encrypted credentials and the generated secret key live here: keep it on a volume.
RUN mkdir -p /app/data && chown node:node /app/data
VOLUME ["/app/data"]

USER node
EXPOSE 8000

# The slim image has no curl: ask node itself. /health answers 200 as soon as the server listens.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# node runs as PID 1 and receives SIGTERM itself: serve stops taking requests, lets streams finish, exits 0.
CMD ["node", "bin/agentllm.js", "serve"]
