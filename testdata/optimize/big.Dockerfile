# The Dockerfile of images/big (make-images.sh): a single-stage build that installs a toolchain,
# copies a source tree and cleans up in later layers. Each line matches a history entry.
FROM debian:bookworm
RUN apt-get update && apt-get install -y build-essential
RUN apt-get install -y python3-dev python3-pip python3-venv
RUN apt-get install -y linux-headers-amd64
RUN apt-get install -y golang-go
RUN apt-get install -y nodejs npm
RUN apt-get install -y git vim-nox openssh-client
WORKDIR /src
COPY . /src
RUN cp -a /usr/share/go-*/src /src/vendor-go
RUN rm -rf /var/lib/apt/lists/* /var/cache/apt/*
RUN find /usr/lib -name '*.a' -delete && rm -rf /src/vendor-go/cmd
RUN strip --strip-unneeded /usr/lib/go-*/pkg/tool/linux_amd64/*
ENV GOPATH=/go
CMD ["bash"]
