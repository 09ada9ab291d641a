FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY schema ./schema
COPY src ./src
ENV NODE_ENV=production HOST=0.0.0.0
EXPOSE 4000
CMD ["npm", "start"]
