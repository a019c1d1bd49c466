FROM alpine:3.23
ARG V=1
ENV APP_HOME=/app
WORKDIR /app
COPY app.txt .
COPY src/ ./src/
RUN mkdir -p /tmp/build && head -c 300000 /dev/zero > /tmp/build/blob.bin && echo "v=$V" > /app/v.txt
SHELL ["/bin/sh", "-e", "-c"]
RUN rm -rf /tmp/build
RUN ["/bin/sh", "-c", "rm -f /app/app.txt"]
LABEL org.opencontainers.image.title=demo
CMD ["cat", "/app/v.txt"]
