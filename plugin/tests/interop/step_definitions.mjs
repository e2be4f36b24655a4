// Asks Cucumber's official query library which step definition ran each passed step.
// Usage: node step_definitions.mjs <messages.ndjson>
// Prints JSON: one entry per passed step: its text and the definitions found ("uri:line pattern").
import fs from 'node:fs'
import { parseEnvelope, TestStepResultStatus } from '@cucumber/messages'
import { Query } from '@cucumber/query'

const query = new Query()
for (const line of fs.readFileSync(process.argv[2], 'utf-8').split('\n')) {
  if (line.trim()) query.update(parseEnvelope(line))
}
const passed = query
  .findAllTestStepFinished()
  .filter((finished) => finished.testStepResult.status === TestStepResultStatus.PASSED)
  .map((finished) => {
    const testStep = query.findTestStepBy(finished)
    const pickleStep = testStep && query.findPickleStepBy(testStep)
    const definitions = testStep ? query.findStepDefinitionsBy(testStep) : []
    return {
      text: pickleStep ? pickleStep.text : null,
      hook: Boolean(testStep && testStep.hookId),
      definitions: definitions.map(
        (d) => `${d.sourceReference.uri}:${d.sourceReference.location?.line} ${d.pattern.source}`
      ),
    }
  })
process.stdout.write(JSON.stringify(passed))
