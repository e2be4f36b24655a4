// Renders a Cucumber Messages NDJSON stream with Cucumber's official HTML formatter.
// Usage: node render_html.mjs <messages.ndjson> <report.html>
import fs from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { CucumberHtmlStream } from '@cucumber/html-formatter'
import { parseEnvelope } from '@cucumber/messages'

const [source, target] = process.argv.slice(2)
const lines = fs.readFileSync(source, 'utf-8').split('\n').filter((line) => line.trim())
await pipeline(
  Readable.from(lines.map(parseEnvelope)),
  new CucumberHtmlStream(),
  fs.createWriteStream(target)
)
