import { z } from 'zod';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { parseInput } from '../people/actor';
import { loadUseCase } from './lifecycle';

export const useCaseKey = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^UC-\d+$/, 'expected a use case key such as UC-3');

export const getUseCaseInput = z.object({ key: useCaseKey });
export type GetUseCaseInput = z.input<typeof getUseCaseInput>;

/** One use case by key, case-insensitively ("uc-3" finds UC-3). */
export async function getUseCase(ctx: DomainContext, raw: GetUseCaseInput): Promise<UseCase> {
  const input = parseInput(getUseCaseInput, raw, 'usecase.invalid_key');
  return loadUseCase(ctx, input.key);
}
