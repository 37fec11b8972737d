# drehbuch in a small container: Alpine with a shell (GitLab CI runs its
# scripts in the image), git (feeds and the sitemap date pages by their
# last commit), drehbuch as the entry point, run as a non-root user in
# /site.
#
#   docker build -t drehbuch .            # compiles drehbuch from source
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" drehbuch build
#
# The release workflow builds the `prebuilt` target instead: the same
# image around the static binaries it has just built and checksummed
# (dist/docker/<amd64|arm64>/drehbuch), so nothing is compiled twice or
# under emulation.

ARG RUST_VERSION=1.95.0
ARG ALPINE_VERSION=3.22

FROM rust:${RUST_VERSION}-alpine AS builder
# C compilers for mimalloc, Oniguruma and jemalloc (musl builds of pagefind).
RUN apk add --no-cache gcc make musl-dev
WORKDIR /src
COPY . .
# --version names this commit (.git is not in the build context).
ARG DREHBUCH_COMMIT=""
RUN DREHBUCH_COMMIT="$DREHBUCH_COMMIT" cargo build --release --locked \
    && cp target/release/drehbuch /usr/local/bin/drehbuch

FROM alpine:${ALPINE_VERSION} AS runtime
# git refuses repositories owned by another user unless told they are
# safe; a CI checkout mounted into the container is one.
RUN apk add --no-cache git \
    && git config --system --add safe.directory '*' \
    && addgroup -S -g 10001 drehbuch \
    && adduser -S -D -H -h /site -u 10001 -G drehbuch drehbuch
WORKDIR /site
# By number, so a cluster's runAsNonRoot can tell it is not root.
USER 10001:10001
ENTRYPOINT ["drehbuch"]
CMD ["--help"]

FROM runtime AS prebuilt
ARG TARGETARCH
COPY --chmod=755 dist/docker/${TARGETARCH}/drehbuch /usr/local/bin/drehbuch

FROM runtime AS source
COPY --from=builder /usr/local/bin/drehbuch /usr/local/bin/drehbuch
