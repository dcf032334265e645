/** lara serve: actions over ZeroMQ (docs/serve.md). */
export { ActionServer, type ActionServerOptions, type ServerStats } from './server.ts';
export { ActionClient, type ActArgs, type ActionClientOptions, type InfoReply, type Reply } from './client.ts';
export { Session, type SessionOptions, type SessionStats } from './session.ts';
export { SERVE_AGENTS, ServeExpertAgent, expertStateOf, parseExpertState, serveAgentFactory, type AgentFactory, type ExpertState, type ServeAgent } from './agents.ts';
export * from './protocol.ts';
