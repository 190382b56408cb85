/**
 * `pnpm mock`: both vendors' mock servers on fixed local ports, for trying Pombo (or any client)
 * without credentials. Prism validates each request against the spec and answers the documented
 * examples. Ctrl-C stops both.
 */
import { specPath } from "@pombo/openapi"
import { PrismServer } from "@pombo/testing"

const ports = {
  megaapi: Number(process.env.MEGAAPI_MOCK_PORT ?? 4010),
  zapi: Number(process.env.ZAPI_MOCK_PORT ?? 4020)
}

const megaapi = await PrismServer.start(specPath("megaapi"), { port: ports.megaapi })
const zapi = await PrismServer.start(specPath("zapi"), { port: ports.zapi })

process.stdout.write(`Pombo mock servers (Prism, validating requests against openapi/*.yaml)

  Mega-API  ${megaapi.url}
            e.g. curl -H 'Authorization: Bearer example-token' ${megaapi.url}/rest/instance/my-instance
  Z-API     ${zapi.url}
            e.g. curl -H 'Client-Token: example-client-token' ${zapi.url}/instances/MY-INSTANCE/token/MY-TOKEN/status

Point Pombo at them (any credentials work; the mock checks they are present):
  WHATSAPP_PROVIDER=megaapi MEGAAPI_BASE_URL=${megaapi.url} MEGAAPI_INSTANCE_KEY=my-instance MEGAAPI_TOKEN=example-token
  WHATSAPP_PROVIDER=zapi ZAPI_BASE_URL=${zapi.url} ZAPI_INSTANCE_ID=MY-INSTANCE ZAPI_TOKEN=MY-TOKEN ZAPI_CLIENT_TOKEN=example-client-token

Ctrl-C to stop.
`)

const stop = async () => {
  await Promise.all([megaapi.close(), zapi.close()])
  process.stdout.write("\nmock servers stopped\n")
  process.exit(0)
}
process.once("SIGINT", stop)
process.once("SIGTERM", stop)
