"""The LLM analyst: LangChain's agent over any OpenAI-compatible endpoint (`agent`), its system
prompt and messages (`prompts`), and the Toolbox's methods as LangChain tools (`tools`).

Imported lazily by the service: langchain takes seconds to import.
"""
