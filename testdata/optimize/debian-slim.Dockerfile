# The Dockerfile of images/debian-slim (built without a Docker engine by make-images.sh, whose
# history entries say what each step was). `dlint optimize` on it prices the apt lists of line 5.
FROM debian:bookworm-slim
# line 5: apt-get update leaves /var/lib/apt/lists in this layer
RUN apt-get update && apt-get install -y --no-install-recommends curl ca-certificates python3
# deleting them in a later RUN does not shrink the image: the bytes stay in the layer above
RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/* /usr/share/doc /usr/share/common-licenses && echo '# local' >> /etc/ssl/certs/ca-certificates.crt
ENV PYTHONUNBUFFERED=1
WORKDIR /app
COPY . /app
CMD ["python3", "/app/app.py"]
